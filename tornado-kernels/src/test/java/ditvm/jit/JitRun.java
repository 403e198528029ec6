package ditvm.jit;

import ditvm.device.Device;
import ditvm.graph.DataTransferMode;
import ditvm.graph.TaskGraph;
import ditvm.kernel.Kernel;
import ditvm.kernel.Launch;
import ditvm.memory.DeviceArray;
import ditvm.plan.ExecutionPlan;
import ditvm.plan.ExecutionResult;
import ditvm.plan.GridScheduler;
import java.lang.reflect.Method;
import java.util.Arrays;

/** Runs one Java kernel as a one-task graph ("g", task "t") on a device: every array goes in, {@code outs} come back. */
final class JitRun {
    private JitRun() {
    }

    static Method method(Class<?> owner, String name) {
        return Arrays.stream(owner.getDeclaredMethods()).filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(owner.getName() + " has no method " + name));
    }

    static Kernel kernel(Class<?> owner, String name) {
        return JavaKernel.of(method(owner, name));
    }

    /** A @Parallel (or single work-item) kernel. */
    static ExecutionResult run(Device device, Kernel kernel, DeviceArray[] outs, Object... args) {
        return run(device, kernel, null, outs, args);
    }

    /** With {@code launch} from a GridScheduler entry (KernelContext kernels), or the kernel's own when null. */
    static ExecutionResult run(Device device, Kernel kernel, Launch launch, DeviceArray[] outs, Object... args) {
        DeviceArray[] in = Arrays.stream(args).filter(DeviceArray.class::isInstance).map(DeviceArray.class::cast)
                .distinct().toArray(DeviceArray[]::new);
        TaskGraph g = new TaskGraph("g").transferToDevice(DataTransferMode.EVERY_EXECUTION, in).task("t", kernel, args)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, outs);
        try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(device)) {
            if (launch != null) {
                plan.withGridScheduler(new GridScheduler().set("g", "t", launch));
            }
            return plan.execute();
        }
    }

    static DeviceArray[] outs(DeviceArray... a) {
        return a;
    }
}
