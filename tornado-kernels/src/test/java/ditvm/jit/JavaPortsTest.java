package ditvm.jit;

import ditvm.device.Device;
import ditvm.graph.DataTransferMode;
import ditvm.graph.TaskGraph;
import ditvm.kernel.Launch;
import ditvm.kernels.GemmWeights;
import ditvm.kernels.JavaGemm;
import ditvm.api.KernelContext;
import ditvm.memory.FloatArray;
import ditvm.plan.ExecutionPlan;
import ditvm.plan.GridScheduler;
import ditvm.testing.TestDevices;
import ditvm.testing.Tolerance;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java CPU GEMM (JavaGemm, benchmarked against gemm_cpu.cl) on every device against a float64
 * reference on awkward shapes.
 */
class JavaPortsTest {
    static Stream<Device> devices() {
        return TestDevices.all();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void gemmCpuMatchesFloat64(Device device) {
        int m = 37, n = 45, k = 29; // primes / non-multiples of the 6 x 32 tile
        try (FloatArray a = new FloatArray((long) m * k).fillUniform(11); FloatArray w = new FloatArray((long) n * k).fillUniform(12);
             FloatArray bias = new FloatArray(n).fillUniform(13); FloatArray out = new FloatArray((long) m * n);
             FloatArray wp = GemmWeights.pack(w, n, k)) {
            long[] global = {GemmWeights.panels(n), (m + 5) / 6};
            TaskGraph g = new TaskGraph("g").transferToDevice(DataTransferMode.EVERY_EXECUTION, a, wp, bias)
                    .task("gemm", JavaGemm::gemmCpu, new KernelContext(), a, wp, bias, out, m, n, k)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, out);
            try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(device)
                    .withGridScheduler(new GridScheduler().set("g", "gemm", new Launch(global, new long[] {1, 1})))) {
                plan.execute();
            }
            double[] ref = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = bias.get(j);
                    for (int q = 0; q < k; q++) {
                        s += (double) a.get((long) i * k + q) * w.get((long) j * k + q);
                    }
                    ref[i * n + j] = s;
                }
            }
            Tolerance.assertClose("Java gemmCpu on " + device.id(), out.toArray(), ref, 1e-5);
        }
    }
}
