package ditvm.model.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ditvm.device.Device;
import ditvm.device.Devices;
import ditvm.model.Fixtures;
import ditvm.model.fixtures.ReferenceFixtures;
import ditvm.model.sampling.Sampler;
import ditvm.model.sampling.SamplingSettings;
import ditvm.model.weights.DiTWeights;
import ditvm.model.weights.SafeTensors;
import ditvm.testing.TestDevices;
import ditvm.testing.Tolerance;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Full sampling runs on every device against the float64 PyTorch sampler
 * (experiments/reference/make_sampler_fixtures.py) from the same given noise: max|diff| / max|ref|
 * <= 1e-4. DDPM with CFG (10 steps), DDIM with CFG on all channels (12 steps), DDIM with eta = 1,
 * clipping and no guidance (6 steps), DDPM with the fixed-large variance (learn_sigma false).
 */
class SamplerParityTest {
    static final String[] RUNS = {"ddpm-cfg", "ddim-cfg-all", "ddim-eta-clip", "ddpm-fixed-large"};

    static Stream<Arguments> cases() {
        return TestDevices.all().flatMap(d -> Stream.of(RUNS).map(r -> Arguments.of(d, r)));
    }

    static ReferenceFixtures.Fixture weightsOf(Map<String, String> meta) {
        return Fixtures.get(meta.get("weights").replace("-weights.safetensors", ""));
    }

    static SamplingSettings settings(Map<String, String> meta, ReferenceFixtures.Fixture f) {
        String guided = meta.get("guided_channels");
        return new SamplingSettings(Integer.parseInt(meta.get("steps")), Sampler.parse(meta.get("sampler")),
                Double.parseDouble(meta.get("eta")), Boolean.parseBoolean(meta.get("clip_denoised")),
                Float.parseFloat(meta.get("cfg_scale")),
                guided.equals("all") ? f.config().outChannels() : Integer.parseInt(guided));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void samplingMatchesTheFloat64Reference(Device device, String run) {
        try (SafeTensors io = SafeTensors.open(Fixtures.dir().resolve("sampler/" + run + ".safetensors"))) {
            Map<String, String> meta = io.metadata();
            ReferenceFixtures.Fixture f = weightsOf(meta);
            SamplingSettings s = settings(meta, f);
            int[] classes = Arrays.stream(meta.get("classes").split(",")).mapToInt(Integer::parseInt).toArray();
            DiTSampler sampler;
            try (DiTWeights w = DiTWeights.load(f.weights(), f.config(), f.variant())) {
                sampler = DiTSampler.build(w, classes, s, new DiTSampler.Given(io.toFloats("x_T"), io.toFloats("z")), device);
            }
            try (sampler) {
                AtomicInteger steps = new AtomicInteger();
                float[] got = sampler.sample(k -> steps.incrementAndGet());
                assertThat(steps.get()).isEqualTo(s.steps());
                Tolerance.assertClose(run + " on " + device.id(), got, io.toFloats("samples"), Tolerance.FP32);
                // A second run of the same sampler starts again from x_T.
                Tolerance.assertClose(run + " again on " + device.id(), sampler.sample(k -> { }), io.toFloats("samples"),
                        Tolerance.FP32);
            }
        }
    }

    /** The seeded noise is a kernel: the same seed gives the same samples on every device. */
    @Test
    void sameSeedSameSamplesOnEveryDevice() {
        ReferenceFixtures.Fixture f = Fixtures.get("adaln-zero");
        SamplingSettings s = new SamplingSettings(8, Sampler.DDPM, 0, false, 4f, 3);
        float[] ref = null;
        for (Device device : TestDevices.all().toList()) {
            float[] got = seeded(f, s, 42, device);
            if (ref == null) {
                ref = got;
                assertThat(seeded(f, s, 43, device)).as("another seed").isNotEqualTo(got);
            } else {
                Tolerance.assertClose("seed 42 on " + device.id() + " vs java", got, ref, Tolerance.FP32);
            }
        }
        assertThat(ref).isNotNull();
    }

    private static float[] seeded(ReferenceFixtures.Fixture f, SamplingSettings s, long seed, Device device) {
        DiTSampler sampler;
        try (DiTWeights w = DiTWeights.load(f.weights(), f.config(), f.variant())) {
            sampler = DiTSampler.build(w, new int[] {3, 7}, s, new DiTSampler.Seeded(seed), device);
        }
        try (sampler) {
            return sampler.sample(k -> { });
        }
    }

    /** One owner: close frees the plan and every array the sampler made (packed weights, tables, noise, state). */
    @Test
    void closeFreesEverything() {
        ReferenceFixtures.Fixture f = Fixtures.get("adaln-zero");
        DiTSampler sampler;
        try (DiTWeights w = DiTWeights.load(f.weights(), f.config(), f.variant())) {
            sampler = DiTSampler.build(w, new int[] {1}, new SamplingSettings(2, Sampler.DDPM, 0, false, 4f, 3),
                    new DiTSampler.Seeded(1), Devices.get("java"));
        }
        sampler.sample(k -> { });
        java.util.List<ditvm.memory.DeviceArray> owned = sampler.ownedArrays();
        assertThat(owned).isNotEmpty().allMatch(a -> a.segment().scope().isAlive());
        sampler.close();
        assertThat(owned).noneMatch(a -> a.segment().scope().isAlive());
        assertThatThrownBy(() -> sampler.sample(k -> { })).hasMessageContaining("closed");
    }

    @Test
    void refusesBadInput() {
        ReferenceFixtures.Fixture f = Fixtures.get("adaln-zero");
        SamplingSettings ok = new SamplingSettings(4, Sampler.DDPM, 0, false, 4f, 3);
        Device java = Devices.get("java");
        try (DiTWeights w = DiTWeights.load(f.weights(), f.config(), f.variant())) {
            assertThatThrownBy(() -> DiTSampler.build(w, new int[] {10}, ok, new DiTSampler.Seeded(0), java))
                    .hasMessageContaining("class 10 is outside 0..9");
            assertThatThrownBy(() -> DiTSampler.build(w, new int[] {-1}, ok, new DiTSampler.Seeded(0), java))
                    .hasMessageContaining("class -1 is outside 0..9");
            assertThatThrownBy(() -> DiTSampler.build(w, new int[] {1}, new SamplingSettings(4, Sampler.DDPM, 0, false, 4f, 9),
                    new DiTSampler.Seeded(0), java)).hasMessageContaining("exceeds the model's 8 output channels");
            assertThatThrownBy(() -> DiTSampler.build(w, new int[] {1}, ok, new DiTSampler.Given(new float[256], null), java))
                    .hasMessageContaining("z has no values");
            assertThatThrownBy(() -> DiTSampler.build(w, new int[] {1}, ok, new DiTSampler.Given(new float[255], null), java))
                    .hasMessageContaining("x_T has 255 values, expected 256");
        }
        assertThatThrownBy(() -> new SamplingSettings(0, Sampler.DDPM, 0, false, 4f, 3)).hasMessageContaining("1..1000, given 0");
        assertThatThrownBy(() -> new SamplingSettings(1001, Sampler.DDPM, 0, false, 4f, 3)).hasMessageContaining("given 1001");
        assertThatThrownBy(() -> new SamplingSettings(10, Sampler.DDIM, Double.NaN, false, 4f, 3)).hasMessageContaining("--eta");
        assertThatThrownBy(() -> new SamplingSettings(10, Sampler.DDIM, -1, false, 4f, 3)).hasMessageContaining("--eta");
        assertThatThrownBy(() -> new SamplingSettings(10, Sampler.DDPM, 0, false, Float.NaN, 3)).hasMessageContaining("--cfg-scale");
        assertThatThrownBy(() -> new SamplingSettings(10, Sampler.DDPM, 0, false, -0.5f, 3)).hasMessageContaining("--cfg-scale");
        assertThatThrownBy(() -> Sampler.parse("euler")).hasMessageContaining("unknown sampler 'euler'");
    }
}
