package ditvm.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ditvm.device.Device;
import ditvm.device.DeviceType;
import ditvm.graph.DataTransferMode;
import ditvm.graph.TaskGraph;
import ditvm.memory.FloatArray;
import ditvm.plan.ExecutionPlan;
import ditvm.testing.Random;
import ditvm.testing.TestDevices;
import ditvm.testing.Tolerance;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both GEMM implementations with every epilogue, on every device, against a float64
 * reference over the unpacked weights; shapes are primes and non-multiples of every tile
 * (12 x 32 and 6 x 16 on the CPU kernels, 64 x 64 x 16 on the tiled one), and whole ones; M = 24 puts
 * 8-row samples across the 12-row tiles (the gated epilogue's gate row per output row).
 */
class GemmTest {
    static final int[][] SHAPES = {{1, 1, 1}, {7, 13, 5}, {67, 131, 97}, {64, 64, 64}, {129, 65, 33}, {6, 32, 16},
        {8, 32, 16}, {12, 32, 16}, {24, 33, 8}, {30, 200, 17}, {13, 33, 384}};

    static Stream<Arguments> cases() {
        return TestDevices.all().flatMap(d -> Stream.of(Gemm.Impl.values())
                // the CPU kernels' shape suits CPUs (and the java device) only
                .filter(impl -> impl == Gemm.Impl.TILED || d.info().type() != DeviceType.GPU)
                .flatMap(impl -> Stream.of(Gemm.Epilogue.values())
                        .flatMap(e -> Stream.of(SHAPES).map(s -> Arguments.of(d, impl, e, s[0], s[1], s[2])))));
    }

    static double gelu(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    @ParameterizedTest(name = "{0} {1} {2} M={3} N={4} K={5}")
    @MethodSource("cases")
    void matchesFloat64(Device device, Gemm.Impl impl, Gemm.Epilogue epilogue, int m, int n, int k) {
        int rowsPerSample = m % 3 == 0 ? m / 3 : m; // 3 samples where M allows, else 1
        int samples = m / rowsPerSample;
        int gateStride = 2 * n + 3, gateOffset = n + 1; // the gate sits mid-row, as in the adaLN output
        try (FloatArray a = Random.uniform(1, m * k, 1f); FloatArray w = Random.uniform(2, n * k, 1f);
             FloatArray b = Random.uniform(3, n, 1f); FloatArray out = Random.uniform(4, m * n, 1f);
             FloatArray gate = Random.uniform(5, samples * gateStride, 1f);
             FloatArray wp = GemmWeights.pack(w, n, k)) {
            float[] res = out.toArray();
            double[] ref = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = b.get(j);
                    for (int kk = 0; kk < k; kk++) {
                        acc += (double) a.get((long) i * k + kk) * w.get((long) j * k + kk);
                    }
                    ref[i * n + j] = switch (epilogue) {
                        case NONE -> acc;
                        case GELU -> gelu(acc);
                        case RESIDUAL -> res[i * n + j] + acc;
                        case GATED_RESIDUAL -> res[i * n + j] + gate.get((long) (i / rowsPerSample) * gateStride + gateOffset + j) * acc;
                    };
                }
            }
            Gemm gemm = Kernels.gemm(impl, epilogue);
            try (FloatArray ap = new FloatArray(PackRows.packedLength(m, k))) {
                TaskGraph g = new TaskGraph("g")
                        .transferToDevice(DataTransferMode.FIRST_EXECUTION, a, wp, b, gate)
                        .transferToDevice(DataTransferMode.EVERY_EXECUTION, out);
                FloatArray in = gemm.input(g, "pack", a, () -> ap, m, k);
                Object[] args = epilogue == Gemm.Epilogue.GATED_RESIDUAL
                        ? new Object[] {in, wp, b, out, m, n, k, gate, gateStride, gateOffset, rowsPerSample}
                        : new Object[] {in, wp, b, out, m, n, k};
                try (ExecutionPlan plan = new ExecutionPlan(g.task("gemm", gemm, args)
                        .transferToHost(DataTransferMode.EVERY_EXECUTION, out).snapshot()).withDevice(device)) {
                    plan.execute();
                }
            }
            Tolerance.assertClose(gemm.name() + " " + m + "x" + n + "x" + k + " on " + device.id(), out.toArray(), ref,
                    Tolerance.FP32);
        }
    }

    static Stream<Arguments> tall() {
        return TestDevices.all().flatMap(d -> Stream.of(Gemm.Impl.values())
                .filter(impl -> impl == Gemm.Impl.TILED || d.info().type() != DeviceType.GPU)
                .map(impl -> Arguments.of(d, impl)));
    }

    /** The tallest activations DiT needs (M = 32768 rows: XL/2 at batch 32 is 8256 tokens x 4), odd N and K. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("tall")
    void thirtyTwoThousandRows(Device device, Gemm.Impl impl) {
        int m = 32768, n = 37, k = 19;
        try (FloatArray a = Random.uniform(11, m * k, 1f); FloatArray w = Random.uniform(12, n * k, 1f);
             FloatArray b = Random.uniform(13, n, 1f); FloatArray out = new FloatArray((long) m * n);
             FloatArray wp = GemmWeights.pack(w, n, k); FloatArray ap = new FloatArray(PackRows.packedLength(m, k))) {
            Gemm gemm = Kernels.gemm(impl, Gemm.Epilogue.NONE);
            TaskGraph g = new TaskGraph("g").transferToDevice(DataTransferMode.FIRST_EXECUTION, a, wp, b);
            g.task("gemm", gemm, gemm.input(g, "pack", a, () -> ap, m, k), wp, b, out, m, n, k)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, out);
            try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(device)) {
                plan.execute();
            }
            double[] ref = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = b.get(j);
                    for (int kk = 0; kk < k; kk++) {
                        acc += (double) a.get((long) i * k + kk) * w.get((long) j * k + kk);
                    }
                    ref[i * n + j] = acc;
                }
            }
            Tolerance.assertClose(impl + " M=32768 on " + device.id(), out.toArray(), ref, Tolerance.FP32);
        }
    }

    @Test
    void packedLayoutIsKMajorPanelsOf32ZeroPadded() {
        int n = 35, k = 3; // two panels, the second with 3 real columns
        try (FloatArray w = new FloatArray(n * k)) {
            for (int row = 0; row < n; row++) {
                for (int kk = 0; kk < k; kk++) {
                    w.set((long) row * k + kk, 100 * row + kk + 1);
                }
            }
            try (FloatArray p = GemmWeights.pack(w, n, k)) {
                assertThat(p.length()).isEqualTo(2 * 32 * 3);
                assertThat(p.get(0)).isEqualTo(1f);              // W[0][0]
                assertThat(p.get(1)).isEqualTo(101f);            // W[1][0]: columns fastest
                assertThat(p.get(32)).isEqualTo(2f);             // W[0][1]: then k
                assertThat(p.get(96 + 2)).isEqualTo(3401f);      // W[34][0] in panel 1
                assertThat(p.get(96 + 3)).isEqualTo(0f);         // padding past N
                assertThat(GemmWeights.at(p, k, 34, 2)).isEqualTo(3403f);
            }
        }
    }

    @Test
    void gatedRowsPerSampleMustDivideM() {
        try (FloatArray a = new FloatArray(10 * 4); FloatArray wp = new FloatArray(32 * 4); FloatArray b = new FloatArray(8);
             FloatArray out = new FloatArray(80); FloatArray gate = new FloatArray(100)) {
            Gemm g = Kernels.gemm(Gemm.Impl.CPU, Gemm.Epilogue.GATED_RESIDUAL);
            assertThatThrownBy(() -> new TaskGraph("g").task("t", g, a, wp, b, out, 10, 8, 4, gate, 8, 0, 3))
                    .hasMessageContaining("rowsPerSample must be >= 1 and divide M = 10");
        }
    }
}
