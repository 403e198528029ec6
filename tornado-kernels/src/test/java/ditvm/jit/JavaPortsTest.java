package ditvm.jit;

import static org.assertj.core.api.Assertions.assertThat;

import ditvm.device.Device;
import ditvm.graph.DataTransferMode;
import ditvm.graph.TaskGraph;
import ditvm.kernel.Launch;
import ditvm.kernels.GemmWeights;
import ditvm.kernels.JavaElementwise;
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
 * The Java ports of the C kernels (JavaElementwise, JavaGemm) on every device against float64
 * references on awkward shapes, and against the C kernels they are benchmarked against.
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

    @ParameterizedTest
    @MethodSource("devices")
    void siluBothShapesMatchFloat64(Device device) {
        int n = 2 * JavaElementwise.CHUNK + 37;
        try (FloatArray in = new FloatArray(n).fillUniform(3); FloatArray perElement = new FloatArray(n);
             FloatArray chunked = new FloatArray(n)) {
            for (int i = 0; i < n; i++) {
                in.set(i, in.get(i) * 8f);
            }
            TaskGraph g = new TaskGraph("g").transferToDevice(DataTransferMode.EVERY_EXECUTION, in)
                    .task("silu", JavaElementwise::silu, in, perElement, n)
                    .task("chunks", JavaElementwise::siluChunks, new KernelContext(), in, chunked, n)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, perElement, chunked);
            long chunks = (n + JavaElementwise.CHUNK - 1) / JavaElementwise.CHUNK;
            try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(device).withGridScheduler(
                    new GridScheduler().set("g", "chunks", new Launch(new long[] {chunks}, new long[] {1})))) {
                plan.execute();
            }
            double[] ref = new double[n];
            for (int i = 0; i < n; i++) {
                double v = in.get(i);
                ref[i] = v / (1 + Math.exp(-v));
            }
            // exp within 3 ulp (OpenCL), the division correctly rounded
            Tolerance.assertClose("silu on " + device.id(), perElement.toArray(), ref, 2e-6);
            Tolerance.assertClose("silu chunks on " + device.id(), chunked.toArray(), ref, 2e-6);
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void saxpyIsExactlyPlainJava(Device device) {
        int n = 100_003;
        try (FloatArray x = new FloatArray(n).fillUniform(5); FloatArray y1 = new FloatArray(n).fillUniform(6);
             FloatArray y2 = new FloatArray(n)) {
            y2.copyFrom(y1.toArray());
            TaskGraph g = new TaskGraph("g").transferToDevice(DataTransferMode.EVERY_EXECUTION, x, y1)
                    .task("java", JavaElementwise::saxpy, x, y1, 0.75f, n)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, y1);
            try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(device)) {
                plan.execute();
            }
            JavaElementwise.saxpy(x, y2, 0.75f, n); // the method as plain Java: one rounding per * and +, never an fma
            assertThat(y1.toArray()).as("Java saxpy on " + device.id() + " == plain Java").containsExactly(y2.toArray());
        }
    }
}
