package ditvm.bench;

import ditvm.device.Device;
import ditvm.graph.ImmutableTaskGraph;
import ditvm.kernel.Cost;
import ditvm.plan.ExecutionPlan;
import ditvm.plan.ProfilerMode;

/**
 * Times a graph's kernels on a device: compile and warm-up first, then {@code iterations}
 * executions; each sample is the sum of the graph's kernel times from device events (copies
 * and host overhead excluded).
 */
public final class KernelBench {

    public record Result(String device, Cost cost, Timings kernelSeconds, double compileSeconds) {
        /** Achieved GFLOP/s at the median: 2 flops per multiply-accumulate. */
        public double gflopsPerSecond() {
            return 2.0 * cost.macs() / kernelSeconds.median() / 1e9;
        }

        /** Achieved GB/s at the median, from the cost model's least bytes read + written. */
        public double gbytesPerSecond() {
            return (cost.bytesRead() + cost.bytesWritten()) / kernelSeconds.median() / 1e9;
        }
    }

    private KernelBench() {
    }

    public static Result run(ImmutableTaskGraph graph, Device device, int warmUp, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("--iterations must be >= 1, found " + iterations);
        }
        try (ExecutionPlan plan = new ExecutionPlan(graph).withDevice(device).withProfiler(ProfilerMode.SILENT)) {
            plan.withPreCompilation();
            for (int i = 0; i < warmUp; i++) {
                plan.execute();
            }
            double[] s = new double[iterations];
            for (int i = 0; i < iterations; i++) {
                s[i] = plan.execute().kernelNanos() / 1e9;
            }
            return new Result(device.id(), graph.cost(), new Timings(s), plan.preCompileNanos() / 1e9);
        }
    }
}
