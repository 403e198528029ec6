package ditvm.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ditvm.cuda.CudaDevices;
import ditvm.device.Device;
import ditvm.device.Devices;
import ditvm.device.KernelBuildException;
import ditvm.graph.DataTransferMode;
import ditvm.graph.TaskGraph;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;
import ditvm.plan.ExecutionPlan;
import ditvm.testing.Random;
import ditvm.testing.TestDevices;
import ditvm.testing.Tolerance;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bf16 tensor-core GEMM against two float64 references: over the bf16-rounded operands (what
 * the kernel computes; fp32 tolerance) and over the fp32 operands (what the fp32 GEMM computes;
 * bf16 tolerance). On the java device (its reference) always, on CUDA devices when present;
 * the kernel itself can only run on a CUDA device of compute capability 8.0 or newer.
 */
class GemmBf16Test {
    /** bf16 keeps 8 significant bits: each operand is off by up to 2^-9 relative, errors partly cancel over K. */
    static final double BF16 = 1e-2;
    static final int[][] SHAPES = {{1, 1, 1}, {7, 13, 5}, {67, 131, 97}, {64, 64, 64}, {129, 65, 33}, {30, 200, 17},
        {13, 33, 384}, {200, 70, 1000}};

    static Stream<Device> devices() {
        return Stream.concat(Stream.of(Devices.get("java")), Devices.cuda().stream());
    }

    static Stream<Arguments> cases() {
        return devices().flatMap(d -> Stream.of(Gemm.Epilogue.values())
                .flatMap(e -> Stream.of(SHAPES).map(s -> Arguments.of(d, e, s[0], s[1], s[2]))));
    }

    @ParameterizedTest(name = "{0} {1} M={2} N={3} K={4}")
    @MethodSource("cases")
    void matchesFloat64(Device device, Gemm.Epilogue epilogue, int m, int n, int k) {
        int rowsPerSample = m % 3 == 0 ? m / 3 : m;
        int samples = m / rowsPerSample;
        int gateStride = 2 * n + 3, gateOffset = n + 1;
        try (FloatArray a = Random.uniform(1, m * k, 1f); FloatArray w = Random.uniform(2, n * k, 1f);
             FloatArray b = Random.uniform(3, n, 1f); FloatArray out = Random.uniform(4, m * n, 1f);
             FloatArray gate = Random.uniform(5, samples * gateStride, 1f);
             IntArray wb = GemmWeights.packBf16(w, n, k)) {
            float[] res = out.toArray();
            double[] exact = new double[m * n];   // over the bf16-rounded operands
            double[] fp32 = new double[m * n];    // over the fp32 operands
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0, accFp32 = 0;
                    for (int kk = 0; kk < k; kk++) {
                        float av = a.get((long) i * k + kk), wv = w.get((long) j * k + kk);
                        acc += (double) Bf16.round(av) * Bf16.round(wv);
                        accFp32 += (double) av * wv;
                    }
                    double g = gate.get((long) (i / rowsPerSample) * gateStride + gateOffset + j);
                    exact[i * n + j] = epilogue(epilogue, acc + b.get(j), res[i * n + j], g);
                    fp32[i * n + j] = epilogue(epilogue, accFp32 + b.get(j), res[i * n + j], g);
                }
            }
            GemmBf16 gemm = Kernels.gemmBf16(epilogue);
            Object[] args = epilogue == Gemm.Epilogue.GATED_RESIDUAL
                    ? new Object[] {a, wb, b, out, m, n, k, gate, gateStride, gateOffset, rowsPerSample}
                    : new Object[] {a, wb, b, out, m, n, k};
            try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("g")
                    .transferToDevice(DataTransferMode.FIRST_EXECUTION, a, wb, b, gate)
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, out)
                    .task("gemm", gemm, args)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, out).snapshot()).withDevice(device)) {
                plan.execute();
            }
            String what = gemm.name() + " " + m + "x" + n + "x" + k + " on " + device.id();
            Tolerance.assertClose(what + " vs bf16 operands", out.toArray(), exact, Tolerance.FP32);
            Tolerance.assertClose(what + " vs fp32 operands", out.toArray(), fp32, BF16);
        }
    }

    static double epilogue(Gemm.Epilogue e, double v, double residual, double gate) {
        return switch (e) {
            case NONE -> v;
            case GELU -> 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
            case RESIDUAL -> residual + v;
            case GATED_RESIDUAL -> residual + gate * v;
        };
    }

    @Test
    void runsOnACudaDeviceWhenOneIsPresent() {
        String why = CudaDevices.unavailableReason();
        Assumptions.assumeTrue(!Devices.cuda().isEmpty(),
                "no CUDA device (" + (why == null ? "the driver lists none" : why) + "): gemm_bf16 checked on java only");
        assertThat(devices().map(Device::id)).anyMatch(id -> id.startsWith("cuda:"));
    }

    @Test
    void packsPairsOfBf16PerWordLowHalfFirst() {
        try (FloatArray w = FloatArray.fromArray(1f, 2f, 3f, -1.5f, 0.1f, 1e30f); IntArray p = GemmWeights.packBf16(w, 2, 3)) {
            assertThat(p.length()).isEqualTo(4); // 2 rows x ceil(3 / 2) words
            assertThat(p.get(0)).isEqualTo(0x4000_3F80); // W[0][1] = 2 high, W[0][0] = 1 low
            assertThat(p.get(1)).isEqualTo(0x0000_4040); // W[0][2] = 3, padding 0
            assertThat(GemmWeights.bf16At(p, 3, 1, 0)).isEqualTo(-1.5f);
            assertThat(GemmWeights.bf16At(p, 3, 1, 1)).isEqualTo(Bf16.round(0.1f)).isNotEqualTo(0.1f);
            assertThat(GemmWeights.bf16At(p, 3, 1, 2)).isEqualTo(Bf16.round(1e30f));
        }
    }

    @Test
    void roundsToNearestEven() {
        assertThat(Bf16.bits(1f)).isEqualTo(0x3F80);
        assertThat(Bf16.bits(Float.intBitsToFloat(0x3F80_8000))).as("tie, even stays").isEqualTo(0x3F80);
        assertThat(Bf16.bits(Float.intBitsToFloat(0x3F81_8000))).as("tie, odd rounds up").isEqualTo(0x3F82);
        assertThat(Bf16.bits(Float.intBitsToFloat(0x3F80_8001))).as("above the tie").isEqualTo(0x3F81);
        assertThat(Bf16.bits(-2f)).isEqualTo(0xC000);
        assertThat(Bf16.bits(Float.MAX_VALUE)).as("rounds up to infinity").isEqualTo(0x7F80);
        assertThat(Float.isNaN(Bf16.round(Float.NaN))).isTrue();
    }

    static Stream<Device> openCL() {
        return TestDevices.openCL();
    }

    @ParameterizedTest
    @MethodSource("openCL")
    void openCLRefusesTheCudaOnlySource(Device device) {
        try (FloatArray a = new FloatArray(1); IntArray wb = new IntArray(1); FloatArray b = new FloatArray(1);
             FloatArray out = new FloatArray(1);
             ExecutionPlan plan = new ExecutionPlan(new TaskGraph("g")
                     .task("gemm", Kernels.gemmBf16(Gemm.Epilogue.NONE), a, wb, b, out, 1, 1, 1).snapshot())
                     .withDevice(device)) {
            assertThatThrownBy(plan::execute).isInstanceOf(KernelBuildException.class).hasMessageContaining("CUDA-only");
        }
    }
}
