package ditvm.kernels;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ditvm.device.Device;
import ditvm.graph.TaskGraph;
import ditvm.memory.FloatArray;
import ditvm.plan.OneTask;
import ditvm.testing.Random;
import ditvm.testing.TestDevices;
import ditvm.testing.Tolerance;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ATTENTION, ATTENTION_CPU and CROSS_ATTENTION against a float64 softmax attention, on T and hd
 * that are not multiples of any tile, and with scores around 1e4.
 */
class AttentionKernelsTest {

    /** Both shapes are Java kernels: every device runs each (the java device the methods themselves). */
    static Stream<Device> devicesFor(Attention kernel) {
        return TestDevices.all();
    }

    static Stream<Arguments> cases() {
        // B, T, H, hd
        // T: 1, below / above / at multiples of 8 and 32 (the CPU shape's key and query blocks) and of 64 (the
        // portable shape's work-group), and a long ragged one (601: 18 full 32-query blocks, 75 key steps and one key);
        // hd: 1, odd, not a multiple of 16, the HDMAX limit 128
        int[][] shapes = {{1, 1, 1, 1}, {1, 7, 2, 8}, {3, 13, 3, 5}, {2, 67, 2, 72}, {1, 257, 1, 8}, {1, 33, 1, 128},
                {2, 16, 6, 64}, {1, 9, 2, 127}, {2, 40, 1, 17}, {1, 64, 2, 128}, {1, 601, 2, 16}};
        return Stream.of(Kernels.ATTENTION, Kernels.ATTENTION_CPU).flatMap(k -> devicesFor(k)
                .flatMap(d -> Stream.of(shapes).map(s -> Arguments.of(k, d, s[0], s[1], s[2], s[3]))));
    }

    /** softmax(scale q k^T) v per (b, h), float64, max subtracted. */
    static double[] attention64(float[] qkv, int b, int t, int h, int hd, double scale) {
        int d = h * hd, rs = 3 * d;
        double[] out = new double[b * t * d];
        double[] s = new double[t];
        for (int bb = 0; bb < b; bb++) {
            for (int hh = 0; hh < h; hh++) {
                int base = bb * t * rs + hh * hd;
                for (int i = 0; i < t; i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < t; j++) {
                        double dot = 0;
                        for (int e = 0; e < hd; e++) {
                            dot += (double) qkv[base + i * rs + e] * qkv[base + j * rs + d + e];
                        }
                        s[j] = dot * scale;
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < t; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    for (int e = 0; e < hd; e++) {
                        double acc = 0;
                        for (int j = 0; j < t; j++) {
                            acc += s[j] * qkv[base + j * rs + 2 * d + e];
                        }
                        out[(bb * t + i) * d + hh * hd + e] = acc / sum;
                    }
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} on {1} B={2} T={3} H={4} hd={5}")
    @MethodSource("cases")
    void selfAttentionMatchesFloat64(Attention kernel, Device device, int b, int t, int h, int hd) {
        int n = b * t * 3 * h * hd;
        float scale = (float) (1 / Math.sqrt(hd));
        try (FloatArray qkv = Random.uniform(31, n, 2f); FloatArray out = new FloatArray((long) b * t * h * hd)) {
            OneTask.run(device, out, kernel, qkv, out, b, t, h, hd, scale);
            Tolerance.assertClose(kernel.name() + " on " + device.id(), out.toArray(),
                    attention64(qkv.toArray(), b, t, h, hd, scale), Tolerance.FP32);
        }
    }

    /** Integer q, k in [-60, 60] with scale 1: exact scores up to about 1e4 in float32. */
    static FloatArray largeScores(int b, int t, int h, int hd) {
        int d = h * hd;
        FloatArray qkv = Random.uniform(32, b * t * 3 * d, 1f);
        SplittableRandom r = new SplittableRandom(33);
        for (int i = 0; i < b * t * 3 * d; i++) {
            if (i % (3 * d) < 2 * d) {
                qkv.set(i, r.nextInt(-60, 61));
            }
        }
        return qkv;
    }

    /** T = 37 and T = 530 (67 key steps of the CPU shape: the running max and sums rescaled many times). */
    static Stream<Arguments> largeScoreCases() {
        return Stream.of(Kernels.ATTENTION, Kernels.ATTENTION_CPU).flatMap(k -> devicesFor(k)
                .flatMap(d -> Stream.of(37, 530).map(t -> Arguments.of(k, d, t))));
    }

    @ParameterizedTest(name = "{0} on {1} T={2}")
    @MethodSource("largeScoreCases")
    void softmaxStaysFiniteWithScoresAround1e4(Attention kernel, Device device, int t) {
        int b = 2, h = 2, hd = 8;
        try (FloatArray qkv = largeScores(b, t, h, hd); FloatArray out = new FloatArray((long) b * t * h * hd)) {
            OneTask.run(device, out, kernel, qkv, out, b, t, h, hd, 1f);
            Tolerance.assertClose(kernel.name() + " with large scores on " + device.id(), out.toArray(),
                    attention64(qkv.toArray(), b, t, h, hd, 1), Tolerance.FP32);
        }
    }

    static Stream<Arguments> crossCases() {
        // B, T, S, H, hd
        int[][] shapes = {{1, 1, 1, 1, 1}, {2, 13, 2, 3, 8}, {3, 7, 5, 2, 72}, {1, 67, 2, 6, 5}, {1, 4, 2, 1, 200}};
        return TestDevices.all().flatMap(d -> Stream.of(shapes).map(s -> Arguments.of(d, s[0], s[1], s[2], s[3], s[4])));
    }

    static double[] crossAttention64(float[] q, float[] kv, int b, int t, int s, int h, int hd, double scale) {
        int d = h * hd;
        double[] out = new double[b * t * d];
        double[] p = new double[s];
        for (int bb = 0; bb < b; bb++) {
            for (int i = 0; i < t; i++) {
                for (int hh = 0; hh < h; hh++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < s; j++) {
                        double dot = 0;
                        for (int e = 0; e < hd; e++) {
                            dot += (double) q[(bb * t + i) * d + hh * hd + e] * kv[(bb * s + j) * 2 * d + hh * hd + e];
                        }
                        p[j] = dot * scale;
                        max = Math.max(max, p[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < s; j++) {
                        p[j] = Math.exp(p[j] - max);
                        sum += p[j];
                    }
                    for (int e = 0; e < hd; e++) {
                        double acc = 0;
                        for (int j = 0; j < s; j++) {
                            acc += p[j] * kv[(bb * s + j) * 2 * d + d + hh * hd + e];
                        }
                        out[(bb * t + i) * d + hh * hd + e] = acc / sum;
                    }
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} B={1} T={2} S={3} H={4} hd={5}")
    @MethodSource("crossCases")
    void crossAttentionMatchesFloat64(Device device, int b, int t, int s, int h, int hd) {
        int d = h * hd;
        float scale = (float) (1 / Math.sqrt(hd));
        try (FloatArray q = Random.uniform(34, b * t * d, 2f); FloatArray kv = Random.uniform(35, b * s * 2 * d, 2f);
             FloatArray out = new FloatArray((long) b * t * d)) {
            OneTask.run(device, out, Kernels.CROSS_ATTENTION, q, kv, out, b, t, s, h, hd, scale);
            Tolerance.assertClose("cross_attention on " + device.id(), out.toArray(),
                    crossAttention64(q.toArray(), kv.toArray(), b, t, s, h, hd, scale), Tolerance.FP32);
        }
    }

    static Stream<Device> devices() {
        return TestDevices.all();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void crossAttentionStaysFiniteWithScoresAround1e4(Device device) {
        int b = 2, t = 5, s = 3, h = 2, hd = 8, d = h * hd;
        SplittableRandom r = new SplittableRandom(36);
        try (FloatArray q = new FloatArray(b * t * d); FloatArray kv = Random.uniform(37, b * s * 2 * d, 1f);
             FloatArray out = new FloatArray((long) b * t * d)) {
            for (int i = 0; i < b * t * d; i++) {
                q.set(i, r.nextInt(-60, 61));
            }
            for (int i = 0; i < b * s * 2 * d; i++) {
                if (i % (2 * d) < d) {
                    kv.set(i, r.nextInt(-60, 61));
                }
            }
            OneTask.run(device, out, Kernels.CROSS_ATTENTION, q, kv, out, b, t, s, h, hd, 1f);
            Tolerance.assertClose("cross_attention with large scores on " + device.id(), out.toArray(),
                    crossAttention64(q.toArray(), kv.toArray(), b, t, s, h, hd, 1), Tolerance.FP32);
        }
    }

    @Test
    void refusesBadShapes() {
        try (FloatArray a = new FloatArray(3 * 2 * 130 * 4); FloatArray out = new FloatArray(2 * 130 * 4)) {
            assertThatThrownBy(() -> new TaskGraph("g").task("attn", Kernels.ATTENTION, a, out, 1, 4, 1, 130, 1f))
                    .hasMessageContaining("kernel attention")
                    .hasMessageContaining("head dim hd = 130 exceeds the kernel's maximum 128");
            assertThatThrownBy(() -> new TaskGraph("g").task("attn", Kernels.ATTENTION_CPU, a, out, 1, 4, 0, 8, 1f))
                    .hasMessageContaining("H must be >= 1, given 0");
            assertThatThrownBy(() -> new TaskGraph("g").task("attn", Kernels.ATTENTION, a, out, 1, 4, 2, 8, Float.NaN))
                    .hasMessageContaining("scale must be finite");
            assertThatThrownBy(() -> new TaskGraph("g").task("x", Kernels.CROSS_ATTENTION, a, a, out, 1, 4, 0, 2, 8, 1f))
                    .hasMessageContaining("S must be >= 1, given 0");
        }
    }
}
