package ditvm.bench.jmh;

import ditvm.device.DeviceType;
import ditvm.device.Devices;
import ditvm.graph.TaskGraph;
import ditvm.memory.FloatArray;
import ditvm.plan.ExecutionPlan;
import java.util.ArrayList;
import java.util.List;

/** What the kernel benchmarks share: seeded inputs they own, and the plan built on one device. */
final class KernelJmhInputs implements AutoCloseable {
    private final List<FloatArray> owned = new ArrayList<>();
    private ExecutionPlan plan;

    /** Uniform in [-1, 1), seeded; closed with this object. */
    FloatArray random(long seed, long n) {
        return zeros(n).fillUniform(seed);
    }

    FloatArray zeros(long n) {
        return own(new FloatArray(n));
    }

    /** Closes {@code a} with this object. */
    FloatArray own(FloatArray a) {
        owned.add(a);
        return a;
    }

    static DeviceType type(String device) {
        return Devices.get(device).info().type();
    }

    /** The graph's plan on {@code device}, compiled and run once (inputs uploaded), ready to time. */
    ExecutionPlan plan(TaskGraph graph, String device) {
        plan = new ExecutionPlan(graph.snapshot()).withDevice(Devices.get(device));
        plan.withPreCompilation();
        plan.execute();
        return plan;
    }

    @Override
    public void close() {
        if (plan != null) {
            plan.close();
        }
        owned.forEach(FloatArray::close);
        owned.clear();
    }
}
