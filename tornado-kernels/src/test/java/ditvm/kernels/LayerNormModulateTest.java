package ditvm.kernels;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ditvm.device.Device;
import ditvm.graph.TaskGraph;
import ditvm.memory.FloatArray;
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
 * LAYERNORM_MODULATE and LAYERNORM_MODULATE_CPU on every device where they compile, against a
 * float64 two-pass LayerNorm, awkward shapes.
 */
class LayerNormModulateTest {

    /** Both shapes are Java methods: they compile on every device, and the java device runs them. */
    static Stream<Device> devicesFor(LayerNormModulate kernel) {
        return TestDevices.all();
    }

    static Stream<Arguments> cases() {
        // B, T, D, affine, modulate; D spans 1, below, at and above the 32-wide work-group and the
        // 16-wide vectors; B*T spans below and past the CPU kernel's 4 rows per work-item.
        int[][] shapes = {{1, 1, 1, 0, 0}, {1, 7, 5, 0, 1}, {3, 13, 97, 1, 0}, {2, 67, 72, 1, 1}, {1, 3, 257, 0, 0},
                {3, 5, 24, 0, 1}, {2, 4, 384, 1, 1}, {1, 2, 128, 0, 1}, {5, 3, 16, 1, 1}, {2, 9, 31, 0, 1},
                // only the CPU shape's scalar tail (D < 16), whole vectors and no tail (D % 16 = 0) in each
                // flag combination, whole CPU work-items (B*T % 4 = 0), DiT-XL's D = 1152
                {1, 6, 15, 1, 1}, {2, 3, 48, 1, 0}, {4, 2, 64, 0, 0}, {2, 2, 32, 0, 1}, {1, 5, 1152, 1, 1}};
        return Stream.of(Kernels.LAYERNORM_MODULATE, Kernels.LAYERNORM_MODULATE_CPU).flatMap(k -> devicesFor(k)
                .flatMap(d -> Stream.of(shapes).map(s -> Arguments.of(k, d, s[0], s[1], s[2], s[3], s[4]))));
    }

    /** float64 LN of x, then affine, then modulate with shift/scale at the given chunk offsets. */
    static double[] reference(float[] x, float[] g, float[] be, float[] mod, int b, int t, int d, double eps,
                              boolean affine, boolean modulate, int stride, int shiftOff, int scaleOff) {
        double[] out = new double[b * t * d];
        for (int r = 0; r < b * t; r++) {
            double mean = 0, var = 0;
            for (int i = 0; i < d; i++) {
                mean += x[r * d + i];
            }
            mean /= d;
            for (int i = 0; i < d; i++) {
                var += (x[r * d + i] - mean) * (x[r * d + i] - mean);
            }
            var /= d;
            int m = r / t * stride;
            for (int i = 0; i < d; i++) {
                double h = (x[r * d + i] - mean) / Math.sqrt(var + eps);
                if (affine) {
                    h = h * g[i] + be[i];
                }
                if (modulate) {
                    h = h * (1 + (double) mod[m + scaleOff + i]) + mod[m + shiftOff + i];
                }
                out[r * d + i] = h;
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} on {1} B={2} T={3} D={4} affine={5} modulate={6}")
    @MethodSource("cases")
    void matchesFloat64(LayerNormModulate kernel, Device device, int b, int t, int d, int affine, int modulate) {
        int stride = 6 * d, shiftOff = 3 * d, scaleOff = 4 * d; // adaLN-Zero's shift2, scale2 chunks
        try (FloatArray x = Random.uniform(11, b * t * d, 2f); FloatArray g = Random.uniform(12, d, 1.5f);
             FloatArray be = Random.uniform(13, d, 1f); FloatArray mod = Random.uniform(14, b * stride, 0.8f);
             FloatArray out = new FloatArray((long) b * t * d)) {
            for (int i = 0; i < d; i += 3) {
                x.set(i, x.get(i) + 30f); // a row with a large mean: the variance must not cancel
            }
            OneTask.run(device, out, kernel, x, g, be, mod, out, b, t, d, 1e-6f, affine, modulate,
                    stride, shiftOff, scaleOff);
            Tolerance.assertClose(kernel.name() + " on " + device.id(), out.toArray(),
                    reference(x.toArray(), g.toArray(), be.toArray(), mod.toArray(), b, t, d, 1e-6, affine == 1,
                            modulate == 1, stride, shiftOff, scaleOff), Tolerance.FP32);
        }
    }

    @Test
    void unusedAffineAndModArraysMayBeTiny() {
        try (FloatArray x = new FloatArray(2 * 8); FloatArray one = new FloatArray(1); FloatArray out = new FloatArray(2 * 8)) {
            new TaskGraph("g").task("ln", Kernels.LAYERNORM_MODULATE, x, one, one, one, out, 1, 2, 8, 1e-6f, 0, 0, 0, 0, 0);
        }
    }

    @Test
    void refusesBadShapes() {
        try (FloatArray x = new FloatArray(64); FloatArray mod = new FloatArray(64); FloatArray out = new FloatArray(64)) {
            assertThatThrownBy(() -> new TaskGraph("g").task("ln", Kernels.LAYERNORM_MODULATE, x, x, x, mod, out,
                    1, 2, 8, 1e-6f, 0, 1, 10, 4, 0))
                    .hasMessageContaining("kernel layernorm_modulate")
                    .hasMessageContaining("shift chunk [shiftOffset, shiftOffset + D) = [4, 12) does not fit")
                    .hasMessageContaining("modStride = 10");
            assertThatThrownBy(() -> new TaskGraph("g").task("ln", Kernels.LAYERNORM_MODULATE, x, x, x, mod, out,
                    1, 2, 8, 1e-6f, 2, 0, 0, 0, 0))
                    .hasMessageContaining("affine is a flag, 0 or 1, given 2");
            assertThatThrownBy(() -> new TaskGraph("g").task("ln", Kernels.LAYERNORM_MODULATE, x, x, x, mod, out,
                    1, 0, 8, 1e-6f, 0, 0, 0, 0, 0))
                    .hasMessageContaining("T must be >= 1, given 0");
        }
    }
}
