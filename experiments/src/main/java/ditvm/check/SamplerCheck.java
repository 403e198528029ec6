package ditvm.check;

import ditvm.device.Device;
import ditvm.device.Devices;
import ditvm.kernel.RelativeError;
import ditvm.kernels.Kernels;
import ditvm.kernels.SamplerStep;
import ditvm.memory.DeviceArray;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;
import ditvm.model.fixtures.ReferenceFixtures;
import ditvm.model.graph.DiTSampler;
import ditvm.model.sampling.Sampler;
import ditvm.model.sampling.SamplingSettings;
import ditvm.model.weights.DiTWeights;
import ditvm.model.weights.SafeTensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The sampler's part of the self-check: philox_normal and sampler_step (its three modes) against
 * their kernel methods on the java device, every run of {@code fixtures/sampler/} against the float64 PyTorch sampler,
 * and seeded sampling on the device against the same seed on java.
 */
final class SamplerCheck {

    private SamplerCheck() {
    }

    static void kernels(Device device, Device java, List<DeviceArray> owned, Consumer<KernelCheck> check) {
        IntArray step = SelfCheck.own(owned, IntArray.fromArray(1));
        int n = 4099;
        FloatArray z = SelfCheck.own(owned, new FloatArray(n));
        check.accept(new KernelCheck("philox_normal n=4099", Kernels.PHILOX_NORMAL, new Object[] {z, n, 123, 456, step, 1}, 0));
        int b = 2, c = 4, img = 7, state = b * c * img * img, steps = 3;
        FloatArray table = SelfCheck.own(owned, new FloatArray((long) steps * SamplerStep.COLUMNS));
        for (int i = 0; i < table.length(); i++) {
            table.set(i, 0.2f + 0.05f * (i % 17)); // positive: square roots and a divisor in the real tables
        }
        FloatArray x = SelfCheck.random(owned, 20, state), eps = SelfCheck.random(owned, 21, 2 * state);
        FloatArray noise = SelfCheck.random(owned, 22, steps * state);
        for (int mode : new int[] {SamplerStep.LEARNED_RANGE, SamplerStep.FIXED_LARGE, SamplerStep.DDIM}) {
            check.accept(new KernelCheck("sampler_step mode " + mode + " I=7", Kernels.SAMPLER_STEP,
                    new Object[] {x, eps, noise, table, step, b, c, img, 2 * c, mode, 0, state, steps}, 0));
        }
    }

    static void run(Device device, Path fixtures, List<ReferenceFixtures.Fixture> models, Consumer<SelfCheck.Result> add) {
        Path dir = fixtures.resolve("sampler");
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> runs;
        try (Stream<Path> files = Files.list(dir)) {
            runs = files.filter(p -> p.toString().endsWith(".safetensors") && !p.getFileName().toString().startsWith("schedules"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + dir, e);
        }
        for (Path file : runs) {
            try (SafeTensors io = SafeTensors.open(file)) {
                Map<String, String> meta = io.metadata();
                ReferenceFixtures.Fixture f = fixture(models, meta.get("weights"));
                String guided = meta.get("guided_channels");
                SamplingSettings s = new SamplingSettings(Integer.parseInt(meta.get("steps")), Sampler.parse(meta.get("sampler")),
                        Double.parseDouble(meta.get("eta")), Boolean.parseBoolean(meta.get("clip_denoised")),
                        Float.parseFloat(meta.get("cfg_scale")),
                        guided.equals("all") ? f.config().outChannels() : Integer.parseInt(guided));
                int[] classes = Arrays.stream(meta.get("classes").split(",")).mapToInt(Integer::parseInt).toArray();
                float[] got = sample(f, classes, s, new DiTSampler.Given(io.toFloats("x_T"), io.toFloats("z")), device);
                String name = file.getFileName().toString().replace(".safetensors", "");
                add.accept(new SelfCheck.Result("sampler " + name + " vs PyTorch", RelativeError.of(got, io.toFloats("samples")),
                        SelfCheck.FP32));
            }
        }
        if (!runs.isEmpty() && !device.id().equals("java")) {
            ReferenceFixtures.Fixture f = fixture(models, "adaln-zero-weights.safetensors");
            SamplingSettings s = new SamplingSettings(4, Sampler.DDPM, 0, false, 4f, 3);
            float[] here = sample(f, new int[] {3, 7}, s, new DiTSampler.Seeded(42), device);
            float[] java = sample(f, new int[] {3, 7}, s, new DiTSampler.Seeded(42), Devices.get("java"));
            add.accept(new SelfCheck.Result("sampler seed 42 vs java", RelativeError.of(here, java), SelfCheck.FP32));
        }
    }

    private static ReferenceFixtures.Fixture fixture(List<ReferenceFixtures.Fixture> models, String weightsFile) {
        return models.stream().filter(m -> m.weights().getFileName().toString().equals(weightsFile)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("sampler fixture names weights " + weightsFile
                        + ", which fixtures.json does not list"));
    }

    private static float[] sample(ReferenceFixtures.Fixture f, int[] classes, SamplingSettings s, DiTSampler.Noise noise,
                                  Device device) {
        DiTSampler sampler;
        try (DiTWeights w = DiTWeights.load(f.weights(), f.config(), f.variant())) {
            sampler = DiTSampler.build(w, classes, s, noise, device);
        }
        try (sampler) {
            return sampler.sample(k -> { });
        }
    }
}
