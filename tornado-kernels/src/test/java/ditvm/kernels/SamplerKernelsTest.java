package ditvm.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ditvm.device.Device;
import ditvm.graph.DataTransferMode;
import ditvm.graph.TaskGraph;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;
import ditvm.plan.ExecutionPlan;
import ditvm.plan.OneTask;
import ditvm.testing.Random;
import ditvm.testing.TestDevices;
import ditvm.testing.Tolerance;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sampler's kernels (PHILOX_NORMAL, SAMPLE_INPUT, SAMPLER_STEP, STEP_ADVANCE) on every device
 * against references written from dit-spec.md section 5 and the Random123 known answers.
 */
class SamplerKernelsTest {
    private static final int M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    static Stream<Device> devices() {
        return TestDevices.all();
    }

    @Test
    void philoxMatchesTheRandom123KnownAnswers() {
        // Random123 kat_vectors, philox4x32 10 rounds: counter, key -> output.
        assertThat(philox(0, 0, new int[] {0, 0, 0, 0}))
                .containsExactly(0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8);
        assertThat(philox(-1, -1, new int[] {-1, -1, -1, -1}))
                .containsExactly(0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd);
        assertThat(philox(0xa4093822, 0x299f31d0, new int[] {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}))
                .containsExactly(0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("devices")
    void philoxNormalDrawsFromTheKnownAnswerWords(Device device) {
        // key (0, 0), counter (0, 0, 0, 0): Random123's words 0x6627e8d5, 0xe169c58d through Box-Muller
        float u1 = (float) ((0x6627e8d5 >>> 8) | 1) * (1.0f / 16777216.0f);
        float u2 = (float) (0xe169c58d >>> 8) * (1.0f / 16777216.0f);
        double expected = Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        try (FloatArray out = new FloatArray(1); IntArray stream = IntArray.fromArray(new int[] {0})) {
            OneTask.run(device, out, Kernels.PHILOX_NORMAL, out, 1, 0, 0, stream, 0);
            Tolerance.assertClose("philox_normal(0) on " + device.id(), out.toArray(), new double[] {expected}, Tolerance.FP32);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("devices")
    void philoxNormalIsTheSameOnEveryDeviceAndStandardNormal(Device device) {
        int n = 40_001;
        try (FloatArray out = new FloatArray(n); IntArray stream = IntArray.fromArray(new int[] {5})) {
            OneTask.run(device, out, Kernels.PHILOX_NORMAL, out, n, 12345, 0, stream, 2);
            float[] got = out.toArray();
            double[] ref = new double[n];
            double sum = 0, sq = 0;
            for (int e = 0; e < n; e++) {
                ref[e] = normal(12345, 0, e, 7);
                sum += got[e];
                sq += (double) got[e] * got[e];
            }
            Tolerance.assertClose("philox_normal on " + device.id(), got, ref, Tolerance.FP32);
            if (device.id().equals("java")) { // the kernel method itself: the reference's float arithmetic, bit for bit
                for (int e = 0; e < n; e++) {
                    assertThat(Float.floatToRawIntBits(got[e])).as("element %d", e).isEqualTo(Float.floatToRawIntBits((float) ref[e]));
                }
            }
            double mean = sum / n, var = sq / n - mean * mean;
            assertThat(mean).as("mean").isBetween(-0.02, 0.02);
            assertThat(var).as("variance").isBetween(0.97, 1.03);
            assertThat(normal(12345, 0, 0, 8)).as("another stream").isNotEqualTo(got[0]);
            assertThat(normal(12346, 0, 0, 7)).as("another seed").isNotEqualTo(got[0]);
        }
    }

    /** Philox4x32-10 of {@code counter} [4] under key (k0, k1) (Salmon et al. 2011; Random123's philox4x32). */
    static int[] philox(int k0, int k1, int[] counter) {
        int c0 = counter[0], c1 = counter[1], c2 = counter[2], c3 = counter[3];
        for (int round = 0; round < 10; round++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int hi0 = (int) (p0 >>> 32), lo0 = (int) p0, hi1 = (int) (p1 >>> 32), lo1 = (int) p1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
            k0 += W0;
            k1 += W1;
        }
        return new int[] {c0, c1, c2, c3};
    }

    /** One standard normal value by Box-Muller on words 0 and 1 of counter (e, stream, 0, 0), in float arithmetic. */
    static float normal(int seedLo, int seedHi, int e, int stream) {
        int[] w = philox(seedLo, seedHi, new int[] {e, stream, 0, 0});
        float u1 = (float) ((w[0] >>> 8) | 1) * (1.0f / 16777216.0f);
        float u2 = (float) (w[1] >>> 8) * (1.0f / 16777216.0f);
        return (float) Math.sqrt(-2.0f * (float) Math.log(u1)) * (float) Math.cos(6.2831855f * u2);
    }

    static Stream<Arguments> inputCases() {
        return TestDevices.all().flatMap(d -> Stream.of(Arguments.of(d, 1), Arguments.of(d, 2)));
    }

    @ParameterizedTest(name = "{0} copies={1}")
    @MethodSource("inputCases")
    void sampleInputDuplicatesTheStateAndReadsTheTimestepOfTheStep(Device device, int copies) {
        int n = 3, image = 4 * 5 * 5, steps = 4;
        try (FloatArray x = Random.uniform(60, n * image, 1f);
             FloatArray timesteps = FloatArray.fromArray(new float[] {999f, 666f, 333f, 0f});
             IntArray step = IntArray.fromArray(new int[] {2});
             FloatArray xin = new FloatArray(copies * n * image); FloatArray t = new FloatArray(copies * n)) {
            OneTask.run(device, xin, Kernels.SAMPLE_INPUT, x, timesteps, step, xin, t, n, image, copies, steps);
            double[] ref = new double[copies * n * image];
            for (int i = 0; i < ref.length; i++) {
                ref[i] = x.get(i % (n * image));
            }
            Tolerance.assertClose("sample_input on " + device.id(), xin.toArray(), ref, 0);
        }
        // t comes back through its own one-task run.
        try (FloatArray x = new FloatArray(n * image); FloatArray timesteps = FloatArray.fromArray(new float[] {999f, 666f, 333f, 0f});
             IntArray step = IntArray.fromArray(new int[] {1});
             FloatArray xin = new FloatArray(copies * n * image); FloatArray t = new FloatArray(copies * n)) {
            OneTask.run(device, t, Kernels.SAMPLE_INPUT, x, timesteps, step, xin, t, n, image, copies, steps);
            for (int r = 0; r < copies * n; r++) {
                assertThat(t.get(r)).isEqualTo(666f);
            }
        }
    }

    static Stream<Arguments> stepCases() {
        // mode, clip, noiseStride as a multiple of the state (0 or 1)
        int[][] cases = {{SamplerStep.LEARNED_RANGE, 0, 0}, {SamplerStep.LEARNED_RANGE, 1, 1}, {SamplerStep.FIXED_LARGE, 0, 1},
                {SamplerStep.DDIM, 0, 0}, {SamplerStep.DDIM, 1, 1}};
        return TestDevices.all().flatMap(d -> Stream.of(cases).map(c -> Arguments.of(d, c[0], c[1], c[2])));
    }

    @ParameterizedTest(name = "{0} mode={1} clip={2} table={3}")
    @MethodSource("stepCases")
    void samplerStepIsTheSpecsUpdate(Device device, int mode, int clip, int noiseTable) {
        int n = 2, c = 4, img = 5, plane = img * img, state = n * c * plane, steps = 3, k = 1;
        int outC = mode == SamplerStep.FIXED_LARGE ? c : 2 * c;
        int stride = noiseTable * state;
        float[] table = new float[steps * SamplerStep.COLUMNS];
        for (int i = 0; i < table.length; i++) {
            table[i] = 0.1f + 0.07f * (i % 13); // positive, distinct
        }
        table[k * SamplerStep.COLUMNS + SamplerStep.LOG_BETA] = -3.5f;
        table[k * SamplerStep.COLUMNS + SamplerStep.POSTERIOR_LOG_VAR_CLIPPED] = -5.25f;
        table[k * SamplerStep.COLUMNS + SamplerStep.FIXED_LARGE_LOG_VAR] = -4f;
        table[k * SamplerStep.COLUMNS + SamplerStep.NONZERO] = 1f;
        try (FloatArray x = Random.uniform(70, state, 3f); FloatArray eps = Random.uniform(71, n * outC * plane, 1.5f);
             FloatArray noise = Random.uniform(72, noiseTable == 1 ? steps * state : state, 2f);
             FloatArray tab = FloatArray.fromArray(table); IntArray step = IntArray.fromArray(new int[] {k})) {
            double[] ref = new double[state];
            double[] row = new double[SamplerStep.COLUMNS];
            for (int j = 0; j < row.length; j++) {
                row[j] = table[k * SamplerStep.COLUMNS + j];
            }
            for (int e = 0; e < state; e++) {
                int b = e / (c * plane), ch = e / plane % c, p = e % plane;
                double xt = x.get(e), ep = eps.get((b * outC + ch) * plane + p), z = noise.get(k * stride + e);
                double x0 = row[0] * xt - row[1] * ep;
                if (clip != 0) {
                    x0 = Math.max(-1, Math.min(1, x0));
                }
                if (mode == SamplerStep.DDIM) {
                    double eps2 = (row[0] * xt - x0) / row[1];
                    ref[e] = x0 * row[7] + row[8] * eps2 + row[9] * z;
                } else {
                    double logVar = row[6];
                    if (mode == SamplerStep.LEARNED_RANGE) {
                        double frac = (eps.get((b * outC + c + ch) * plane + p) + 1) / 2;
                        logVar = frac * row[4] + (1 - frac) * row[5];
                    }
                    ref[e] = row[2] * x0 + row[3] * xt + Math.exp(0.5 * logVar) * z;
                }
            }
            OneTask.run(device, x, Kernels.SAMPLER_STEP, x, eps, noise, tab, step, n, c, img, outC, mode, clip, stride, steps);
            Tolerance.assertClose("sampler_step on " + device.id(), x.toArray(), ref, Tolerance.FP32);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("devices")
    void stepAdvanceCountsExecutionsOnTheDevice(Device device) {
        try (IntArray step = IntArray.fromArray(new int[] {0});
             ExecutionPlan plan = new ExecutionPlan(new TaskGraph("g")
                     .transferToDevice(DataTransferMode.FIRST_EXECUTION, step)
                     .task("advance", Kernels.STEP_ADVANCE, step)
                     .transferToHost(DataTransferMode.EVERY_EXECUTION, step).snapshot()).withDevice(device)) {
            for (int i = 0; i < 3; i++) {
                plan.execute();
            }
            assertThat(step.get(0)).isEqualTo(3);
        }
    }

    @Test
    void refusesBadArguments() {
        try (FloatArray a = new FloatArray(1000); IntArray step = new IntArray(1)) {
            assertThatThrownBy(() -> new TaskGraph("g").task("s", Kernels.SAMPLER_STEP, a, a, a, a, step, 1, 4, 3, 4,
                    SamplerStep.LEARNED_RANGE, 0, 0, 2)).hasMessageContaining("learned-range variance needs outC = 2C");
            assertThatThrownBy(() -> new TaskGraph("g").task("s", Kernels.SAMPLER_STEP, a, a, a, a, step, 1, 4, 3, 8, 7, 0, 0, 2))
                    .hasMessageContaining("mode must be 0, 1 or 2");
            assertThatThrownBy(() -> new TaskGraph("g").task("i", Kernels.SAMPLE_INPUT, a, a, step, a, a, 2, 10, 3, 4))
                    .hasMessageContaining("copies must be 1 or 2");
        }
    }
}
