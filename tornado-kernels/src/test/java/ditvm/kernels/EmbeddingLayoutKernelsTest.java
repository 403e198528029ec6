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
 * PATCHIFY, UNPATCHIFY, ADD_POS_EMBED, TIMESTEP_EMBED, LABEL_GATHER, APPEND_TOKENS, DROP_TOKENS and
 * CFG_COMBINE on every device against references written from dit-spec.md section 2.
 */
class EmbeddingLayoutKernelsTest {

    static Stream<Arguments> patchCases() {
        // B, C, I, p
        int[][] shapes = {{1, 1, 1, 1}, {2, 4, 8, 2}, {3, 3, 9, 3}, {1, 5, 12, 4}, {2, 8, 7, 7}};
        return TestDevices.all().flatMap(d -> Stream.of(shapes).map(s -> Arguments.of(d, s[0], s[1], s[2], s[3])));
    }

    @ParameterizedTest(name = "{0} B={1} C={2} I={3} p={4}")
    @MethodSource("patchCases")
    void patchifyOrdersEachTokenChannelRowColumn(Device device, int b, int c, int img, int p) {
        int g = img / p, n = b * c * img * img;
        try (FloatArray x = Random.uniform(41, n, 1f); FloatArray out = new FloatArray(n)) {
            OneTask.run(device, out, Kernels.PATCHIFY, x, out, b, c, img, p);
            float[] xs = x.toArray();
            double[] ref = new double[n];
            for (int bb = 0; bb < b; bb++) {
                for (int row = 0; row < g; row++) {
                    for (int col = 0; col < g; col++) {
                        int token = bb * g * g + row * g + col;
                        for (int ch = 0; ch < c; ch++) {
                            for (int pr = 0; pr < p; pr++) {
                                for (int pc = 0; pc < p; pc++) {
                                    ref[token * c * p * p + ch * p * p + pr * p + pc] =
                                            xs[((bb * c + ch) * img + row * p + pr) * img + col * p + pc];
                                }
                            }
                        }
                    }
                }
            }
            Tolerance.assertClose("patchify on " + device.id(), out.toArray(), ref, 0);
        }
    }

    @ParameterizedTest(name = "{0} B={1} C={2} I={3} p={4}")
    @MethodSource("patchCases")
    void unpatchifyReadsEachTokenRowColumnChannel(Device device, int b, int c, int img, int p) {
        int g = img / p, n = b * c * img * img;
        try (FloatArray x = Random.uniform(42, n, 1f); FloatArray out = new FloatArray(n)) {
            OneTask.run(device, out, Kernels.UNPATCHIFY, x, out, b, c, img, p);
            float[] xs = x.toArray();
            double[] ref = new double[n];
            for (int bb = 0; bb < b; bb++) {
                for (int row = 0; row < g; row++) {
                    for (int col = 0; col < g; col++) {
                        int token = bb * g * g + row * g + col;
                        for (int pr = 0; pr < p; pr++) {
                            for (int pc = 0; pc < p; pc++) {
                                for (int ch = 0; ch < c; ch++) {
                                    ref[((bb * c + ch) * img + row * p + pr) * img + col * p + pc] =
                                            xs[token * p * p * c + (pr * p + pc) * c + ch];
                                }
                            }
                        }
                    }
                }
            }
            Tolerance.assertClose("unpatchify on " + device.id(), out.toArray(), ref, 0);
        }
    }

    static Stream<Device> devices() {
        return TestDevices.all();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void addPosEmbedSeparateAndInPlace(Device device) {
        int b = 3, t = 13, d = 97;
        try (FloatArray x = Random.uniform(43, b * t * d, 1f); FloatArray pos = Random.uniform(44, t * d, 1f);
             FloatArray out = new FloatArray((long) b * t * d)) {
            float[] xs = x.toArray(), ps = pos.toArray();
            double[] ref = new double[b * t * d];
            for (int i = 0; i < ref.length; i++) {
                ref[i] = (double) xs[i] + ps[i % (t * d)];
            }
            OneTask.run(device, out, Kernels.ADD_POS_EMBED, x, pos, out, b, t, d);
            Tolerance.assertClose("add_pos_embed on " + device.id(), out.toArray(), ref, 1e-7);
            OneTask.run(device, x, Kernels.ADD_POS_EMBED, x, pos, x, b, t, d);
            Tolerance.assertClose("add_pos_embed in place on " + device.id(), x.toArray(), ref, 1e-7);
        }
    }

    static Stream<Arguments> timestepCases() {
        return TestDevices.all().flatMap(d -> Stream.of(256, 10, 2).map(dim -> Arguments.of(d, dim)));
    }

    @ParameterizedTest(name = "{0} dim={1}")
    @MethodSource("timestepCases")
    void timestepEmbeddingCosineHalfFirst(Device device, int dim) {
        float[] ts = {0f, 1f, 999f, 0.5f, 500.25f};
        int b = ts.length, half = dim / 2;
        try (FloatArray t = FloatArray.fromArray(ts); FloatArray out = new FloatArray((long) b * dim)) {
            OneTask.run(device, out, Kernels.TIMESTEP_EMBED, t, out, b, dim);
            double[] ref = new double[b * dim];
            for (int bb = 0; bb < b; bb++) {
                for (int k = 0; k < half; k++) {
                    // dit-spec 2.3: the frequency and the argument are float32; cos and sin exact.
                    float f = (float) Math.exp((float) (-Math.log(10000) * k) / half);
                    float arg = ts[bb] * f;
                    ref[bb * dim + k] = Math.cos(arg);
                    ref[bb * dim + half + k] = Math.sin(arg);
                }
            }
            Tolerance.assertClose("timestep_embed on " + device.id(), out.toArray(), ref, Tolerance.FP32);
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void labelGatherIncludingTheNullClass(Device device) {
        int classes = 7, d = 24;
        int[] labels = {3, 7, 0, 7, 6};
        try (IntArray y = IntArray.fromArray(labels); FloatArray table = Random.uniform(45, (classes + 1) * d, 1f);
             FloatArray out = new FloatArray((long) labels.length * d)) {
            OneTask.run(device, out, Kernels.LABEL_GATHER, y, table, out, labels.length, classes, d);
            float[] tab = table.toArray();
            double[] ref = new double[labels.length * d];
            for (int b = 0; b < labels.length; b++) {
                for (int i = 0; i < d; i++) {
                    ref[b * d + i] = tab[labels[b] * d + i];
                }
            }
            Tolerance.assertClose("label_gather on " + device.id(), out.toArray(), ref, 0);
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void labelOutOfRangeGivesZerosOnEveryDevice(Device device) {
        int classes = 3, d = 5;
        try (IntArray y = IntArray.fromArray(1, 4, -1); FloatArray table = Random.uniform(46, (classes + 1) * d, 1f);
             FloatArray out = new FloatArray(3L * d)) {
            out.fill(9f); // one source now: the java device runs the kernel method too

            OneTask.run(device, out, Kernels.LABEL_GATHER, y, table, out, 3, classes, d);
            float[] o = out.toArray();
            for (int i = 0; i < d; i++) {
                assertThat(o[i]).isEqualTo(table.get(d + i));
                assertThat(o[d + i]).isZero();
                assertThat(o[2 * d + i]).isZero();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void appendThenDropTokens(Device device) {
        int b = 3, t = 7, d = 5;
        try (FloatArray x = Random.uniform(47, b * t * d, 1f); FloatArray te = Random.uniform(48, b * d, 1f);
             FloatArray ye = Random.uniform(49, b * d, 1f); FloatArray appended = new FloatArray((long) b * (t + 2) * d);
             FloatArray dropped = new FloatArray((long) b * t * d);
             ExecutionPlan plan = new ExecutionPlan(new TaskGraph("g")
                     .transferToDevice(DataTransferMode.EVERY_EXECUTION, x, te, ye)
                     .task("append", Kernels.APPEND_TOKENS, x, te, ye, appended, b, t, d)
                     .task("drop", Kernels.DROP_TOKENS, appended, dropped, b, t, d)
                     .transferToHost(DataTransferMode.EVERY_EXECUTION, appended, dropped).snapshot()).withDevice(device)) {
            plan.execute();
            double[] ref = new double[b * (t + 2) * d];
            for (int bb = 0; bb < b; bb++) {
                for (int i = 0; i < d; i++) {
                    for (int tok = 0; tok < t; tok++) {
                        ref[(bb * (t + 2) + tok) * d + i] = x.get((bb * t + tok) * d + i);
                    }
                    ref[(bb * (t + 2) + t) * d + i] = te.get(bb * d + i);
                    ref[(bb * (t + 2) + t + 1) * d + i] = ye.get(bb * d + i);
                }
            }
            Tolerance.assertClose("append_tokens on " + device.id(), appended.toArray(), ref, 0);
            Tolerance.assertClose("drop_tokens on " + device.id(), dropped.toArray(), x.toArray(), 0);
        }
    }

    static Stream<Arguments> cfgCases() {
        // B, C, I, guidedChannels
        int[][] shapes = {{1, 8, 4, 3}, {3, 4, 5, 4}, {2, 3, 7, 0}};
        return TestDevices.all().flatMap(d -> Stream.of(shapes).map(s -> Arguments.of(d, s[0], s[1], s[2], s[3])));
    }

    @ParameterizedTest(name = "{0} B={1} C={2} I={3} guided={4}")
    @MethodSource("cfgCases")
    void cfgCombineGuidesTheFirstChannels(Device device, int b, int c, int img, int guided) {
        int half = b * c * img * img, plane = img * img;
        float s = 4f;
        try (FloatArray eps = Random.uniform(50, 2 * half, 1f); FloatArray out = new FloatArray(half)) {
            OneTask.run(device, out, Kernels.CFG_COMBINE, eps, out, b, c, img, s, guided);
            double[] ref = new double[half];
            for (int i = 0; i < half; i++) {
                double cond = eps.get(i), uncond = eps.get(half + i);
                ref[i] = i / plane % c < guided ? uncond + s * (cond - uncond) : cond;
            }
            Tolerance.assertClose("cfg_combine on " + device.id(), out.toArray(), ref, Tolerance.FP32);
        }
    }

    @Test
    void refusesBadShapes() {
        try (FloatArray a = new FloatArray(4 * 10 * 10 * 2); FloatArray out = new FloatArray(4 * 10 * 10 * 2)) {
            assertThatThrownBy(() -> new TaskGraph("g").task("p", Kernels.PATCHIFY, a, out, 2, 4, 10, 4))
                    .hasMessageContaining("kernel patchify")
                    .hasMessageContaining("image size I = 10 is not divisible by the patch size p = 4");
            assertThatThrownBy(() -> new TaskGraph("g").task("u", Kernels.UNPATCHIFY, a, out, 2, 4, 10, 3))
                    .hasMessageContaining("image size I = 10 is not divisible by the patch size p = 3");
            assertThatThrownBy(() -> new TaskGraph("g").task("t", Kernels.TIMESTEP_EMBED, a, out, 2, 255))
                    .hasMessageContaining("embedding dim must be even");
            assertThatThrownBy(() -> new TaskGraph("g").task("c", Kernels.CFG_COMBINE, a, out, 1, 4, 10, 4f, 5))
                    .hasMessageContaining("guidedChannels = 5 exceeds the channel count C = 4");
            assertThatThrownBy(() -> new TaskGraph("g").task("c", Kernels.CFG_COMBINE, a, out, 1, 4, 11, 4f, 3))
                    .hasMessageContaining("parameter 'eps' needs at least 968 elements");
        }
    }
}
