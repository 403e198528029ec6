package ditvm.kernels;

import ditvm.device.Device;
import ditvm.graph.DataTransferMode;
import ditvm.graph.TaskGraph;
import ditvm.memory.FloatArray;
import ditvm.plan.ExecutionPlan;
import ditvm.testing.Random;
import ditvm.testing.TestDevices;
import ditvm.testing.Tolerance;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** AXPY and the tiled GEMM on every device against a float64 reference, awkward shapes. */
class FoundationKernelsTest {

    static Stream<Arguments> gemmCases() {
        int[][] shapes = {{1, 1, 1}, {7, 13, 5}, {67, 131, 97}, {64, 64, 64}, {129, 65, 33}, {3, 200, 17}};
        return TestDevices.all().flatMap(d -> Stream.of(shapes).map(s -> Arguments.of(d, s[0], s[1], s[2])));
    }

    static double[] gemm64(float[] a, float[] w, float[] b, int m, int n, int k) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = b[j];
                for (int kk = 0; kk < k; kk++) {
                    acc += (double) a[i * k + kk] * w[j * k + kk];
                }
                out[i * n + j] = acc;
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} M={1} N={2} K={3}")
    @MethodSource("gemmCases")
    void tiledGemmMatchesFloat64(Device device, int m, int n, int k) {
        try (FloatArray a = Random.uniform(1, m * k, 1f); FloatArray w = Random.uniform(2, n * k, 1f);
             FloatArray b = Random.uniform(3, n, 1f); FloatArray out = new FloatArray((long) m * n);
             ExecutionPlan plan = new ExecutionPlan(new TaskGraph("g")
                     .transferToDevice(DataTransferMode.FIRST_EXECUTION, a, w, b)
                     .task("gemm", Kernels.GEMM_TILED, a, w, b, out, m, n, k)
                     .transferToHost(DataTransferMode.EVERY_EXECUTION, out).snapshot()).withDevice(device)) {
            plan.execute();
            Tolerance.assertClose("gemm " + m + "x" + n + "x" + k + " on " + device.id(), out.toArray(),
                    gemm64(a.toArray(), w.toArray(), b.toArray(), m, n, k), Tolerance.FP32);
        }
    }

    static Stream<Device> devices() {
        return TestDevices.all();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void axpyMatchesReference(Device device) {
        int n = 1009; // prime: not a multiple of the 64-wide work-group
        try (FloatArray x = Random.uniform(4, n, 1f); FloatArray y = Random.uniform(5, n, 1f);
             ExecutionPlan plan = new ExecutionPlan(new TaskGraph("g")
                     .transferToDevice(DataTransferMode.EVERY_EXECUTION, x, y)
                     .task("axpy", Kernels.AXPY, x, y, 0.5f, n)
                     .transferToHost(DataTransferMode.EVERY_EXECUTION, y).snapshot()).withDevice(device)) {
            double[] ref = new double[n];
            for (int i = 0; i < n; i++) {
                ref[i] = 0.5 * x.get(i) + y.get(i);
            }
            plan.execute();
            Tolerance.assertClose("axpy on " + device.id(), y.toArray(), ref, 1e-6);
        }
    }
}
