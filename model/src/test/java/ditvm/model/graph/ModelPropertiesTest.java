package ditvm.model.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ditvm.device.Device;
import ditvm.memory.FloatArray;
import ditvm.model.DiTConfig;
import ditvm.model.Variant;
import ditvm.model.flops.FlopCount;
import ditvm.model.flops.FlopCounter;
import ditvm.model.weights.DiTWeights;
import ditvm.model.weights.WeightSpec;
import ditvm.testing.TestDevices;
import ditvm.testing.Tolerance;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties of the model that hold on every device: identity at init, conditioning, weights I/O, cost. */
class ModelPropertiesTest {
    // depth 2, hidden 24, 3 heads (hd 8), patch 2, input 6 (T = 9), 4 channels, 10 classes
    static final DiTConfig TINY = new DiTConfig(2, 24, 3, 2, 6, 4, 10, true, 4);
    static final int B = 2;

    static Stream<Arguments> devicesAndVariants() {
        return TestDevices.all().flatMap(d -> Stream.of(Variant.values()).map(v -> Arguments.of(d, v)));
    }

    static Stream<Device> devices() {
        return TestDevices.all();
    }

    static float[] randomInput(DiTConfig c, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[B * c.inChannels() * c.inputSize() * c.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    static final float[] T = {12.5f, 700f};

    /**
     * With the official initialisation every adaLN-Zero block is the identity, so a depth-2
     * model gives bit-for-bit the output of a depth-1 model with the same embedders and final
     * layer (made non-zero here so the output is not trivially 0).
     */
    @ParameterizedTest
    @MethodSource("devices")
    void adaLnZeroBlocksAreTheIdentityAtInit(Device device) {
        DiTConfig deep = TINY;
        DiTConfig shallow = new DiTConfig(1, 24, 3, 2, 6, 4, 10, true, 4);
        try (DiTWeights init = DiTWeights.initialize(deep, Variant.ADALN_ZERO, 7);
             DiTWeights noise = DiTWeights.random(deep, Variant.ADALN_ZERO, 8, 0.3f)) {
            Map<String, FloatArray> deepArrays = new LinkedHashMap<>();
            Map<String, FloatArray> shallowArrays = new LinkedHashMap<>();
            for (String name : WeightSpec.of(deep, Variant.ADALN_ZERO).tensors().keySet()) {
                FloatArray src = name.startsWith("final_layer.") ? noise.get(name) : init.get(name);
                deepArrays.put(name, FloatArray.fromArray(src.toArray()));
                if (!name.startsWith("blocks.1.")) {
                    shallowArrays.put(name, FloatArray.fromArray(src.toArray()));
                }
            }
            try (DiTWeights wDeep = DiTWeights.fromArrays(deep, Variant.ADALN_ZERO, deepArrays);
                 DiTWeights wShallow = DiTWeights.fromArrays(shallow, Variant.ADALN_ZERO, shallowArrays);
                 DiTForward fDeep = DiTForward.build(wDeep, B, device);
                 DiTForward fShallow = DiTForward.build(wShallow, B, device)) {
                float[] x = randomInput(deep, 1);
                int[] y = {3, 10};
                float[] a = fDeep.forward(x, T, y);
                float[] b = fShallow.forward(x, T, y);
                assertThat(a).as("output depends on the (non-zero) final layer").isNotEqualTo(new float[a.length]);
                assertThat(a).as("depth 2 == depth 1: each block returned its input").isEqualTo(b);
            }
        }
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("devicesAndVariants")
    void labelsChangeTheOutputAndTheNullClassIsAccepted(Device device, Variant v) {
        try (DiTWeights w = DiTWeights.random(TINY, v, 11, 0.2f); DiTForward f = DiTForward.build(w, B, device)) {
            float[] x = randomInput(TINY, 2);
            float[] a = f.forward(x, T, new int[] {3, 4});
            float[] b = f.forward(x, T, new int[] {5, 4});
            float[] nul = f.forward(x, T, new int[] {TINY.numClasses(), 4});
            int image = a.length / B;
            assertThat(Arrays.copyOf(a, image)).as("sample 0 changes with its label").isNotEqualTo(Arrays.copyOf(b, image));
            assertThat(Arrays.copyOfRange(a, image, 2 * image)).as("sample 1 keeps its label")
                    .isEqualTo(Arrays.copyOfRange(b, image, 2 * image));
            for (float v2 : nul) {
                assertThat(Float.isFinite(v2)).as("null-class output is finite").isTrue();
            }
            assertThatThrownBy(() -> f.forward(x, T, new int[] {TINY.numClasses() + 1, 0}))
                    .hasMessageContaining("outside 0..10");
        }
    }

    /** Attention has no position embedding on the two condition tokens: their order cannot matter. */
    @ParameterizedTest
    @MethodSource("devices")
    void inContextOutputDoesNotDependOnTheOrderOfTheConditionTokens(Device device) {
        try (DiTWeights w = DiTWeights.random(TINY, Variant.IN_CONTEXT, 12, 0.2f);
             DiTForward ty = DiTForward.build(w, B, device);
             DiTForward yt = DiTForward.buildSwappingConditionTokens(w, B, device)) {
            float[] x = randomInput(TINY, 3);
            int[] y = {1, 9};
            // Only the order of additions in the softmax sums changes: float32 rounding, no more.
            assertThat(Tolerance.relativeMaxError(yt.forward(x, T, y), ty.forward(x, T, y))).isLessThan(1e-5);
        }
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("devicesAndVariants")
    void weightsWrittenAndReadBackGiveBitIdenticalOutputs(Device device, Variant v, @TempDir Path dir) {
        Path file = dir.resolve("w.safetensors");
        float[] x = randomInput(TINY, 4);
        int[] y = {2, 10};
        float[] before;
        try (DiTWeights w = DiTWeights.random(TINY, v, 13, 0.2f); DiTForward f = DiTForward.build(w, B, device)) {
            before = f.forward(x, T, y);
            w.save(file);
        }
        try (DiTWeights w = DiTWeights.load(file, TINY, v); DiTForward f = DiTForward.build(w, B, device)) {
            assertThat(f.forward(x, T, y)).isEqualTo(before);
        }
    }

    /** A built forward pass holds its own copies of the weights: closing them does not change it. */
    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("devicesAndVariants")
    void weightsMayBeClosedOnceTheGraphIsBuilt(Device device, Variant v) {
        float[] x = randomInput(TINY, 6);
        int[] y = {4, 10};
        DiTWeights w = DiTWeights.random(TINY, v, 14, 0.2f);
        float[] expected;
        try (DiTForward f = DiTForward.build(w, B, device)) {
            expected = f.forward(x, T, y);
        }
        DiTForward built = DiTForward.build(w, B, device);
        w.close(); // frees every weight array: the graph must not read any of them
        try (DiTForward g = built) {
            assertThat(g.forward(x, T, y)).isEqualTo(expected);
        }
    }

    /** The graph's per-task cost models add up to the analytic count of the paper's convention. */
    @ParameterizedTest
    @EnumSource(Variant.class)
    void graphCostEqualsTheAnalyticCount(Variant v) {
        DiTConfig[] configs = {TINY, new DiTConfig(3, 64, 4, 4, 16, 4, 1000, true, 4), DiTConfig.preset("DiT-S/8", 256)};
        for (DiTConfig c : configs) {
            for (int batch : new int[] {1, 3}) {
                try (DiTWeights w = DiTWeights.initialize(c, v, 1);
                     DiTForward f = DiTForward.build(w, batch, ditvm.device.Devices.get("java"))) {
                    FlopCount analytic = FlopCounter.count(c, v, batch);
                    assertThat(f.cost().macs()).as(c.describe() + " " + v + " batch " + batch + " MACs").isEqualTo(analytic.macs());
                    assertThat(f.cost().layerNormElements()).as("LayerNorm elements").isEqualTo(analytic.layerNormElements());
                }
            }
        }
    }

    @Test
    void parametersOfTheWeightSpecEqualTheAnalyticCount() {
        for (Variant v : Variant.values()) {
            for (String name : DiTConfig.presetNames()) {
                DiTConfig c = DiTConfig.preset(name, 256);
                assertThat(WeightSpec.of(c, v).parameters()).as(name + " " + v)
                        .isEqualTo(ditvm.model.flops.ParamCounter.count(c, v).total());
            }
        }
    }

    @Test
    void missingAndUnexpectedKeysAreListed(@TempDir Path dir) {
        Path file = dir.resolve("w.safetensors");
        try (DiTWeights w = DiTWeights.random(TINY, Variant.ADALN_ZERO, 1, 0.1f)) {
            w.save(file);
        }
        assertThatThrownBy(() -> DiTWeights.load(file, TINY, Variant.IN_CONTEXT))
                .hasMessageContaining("missing [blocks.0.norm1.bias")
                .hasMessageContaining("unexpected [blocks.0.adaLN_modulation.1.bias");
        DiTConfig wider = new DiTConfig(2, 48, 3, 2, 6, 4, 10, true, 4);
        assertThatThrownBy(() -> DiTWeights.load(file, wider, Variant.ADALN_ZERO))
                .hasMessageContaining("expected shape [48, 4, 2, 2]").hasMessageContaining("found [24, 4, 2, 2]");
    }
}
