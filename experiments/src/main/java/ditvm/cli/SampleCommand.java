package ditvm.cli;

import ditvm.device.Device;
import ditvm.model.DiTConfig;
import ditvm.model.Variant;
import ditvm.model.graph.DiTSampler;
import ditvm.model.sampling.Sampler;
import ditvm.model.sampling.SamplingSettings;
import ditvm.model.weights.DiTWeights;
import ditvm.model.weights.SafeTensors;
import ditvm.model.weights.SafeTensorsWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ditvm sample}: the reverse diffusion process with classifier-free guidance on one device
 * (dit-spec.md section 5), from seeded Philox noise or a noise file, to a safetensors file of latents
 * ({@code samples [n, C, I, I]}), written whole or not at all.
 */
@Command(name = "sample", description = "Sample latents: the DDPM/DDIM reverse process with classifier-free guidance.")
final class SampleCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--device", defaultValue = "default", description = "java, opencl:P:D, cuda:N or default.")
    String device;

    @Mixin
    KernelCacheOptions kernelCache;

    @Option(names = "--classes", required = true, paramLabel = "LIST", description = "Class labels, one image each: 207,360.")
    String classes;

    @Option(names = "--steps", defaultValue = "250", paramLabel = "N", description = "Respaced steps, 1..1000. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--sampler", defaultValue = "ddpm", paramLabel = "ddpm|ddim", description = "Default: ${DEFAULT-VALUE}.")
    String sampler;

    @Option(names = "--eta", paramLabel = "E", description = "DDIM's eta (>= 0). Default: 0.")
    Double eta;

    @Option(names = "--cfg-scale", defaultValue = "4.0", paramLabel = "S",
            description = "Guidance scale (>= 0); 1 runs the conditional half only. Default: ${DEFAULT-VALUE}.")
    float cfgScale;

    @Option(names = "--guided-channels", defaultValue = "3", paramLabel = "N|all",
            description = "Channels guidance applies to: 3 (the official rule) or all. Default: ${DEFAULT-VALUE}.")
    String guidedChannels;

    @Option(names = "--clip-denoised", description = "Clamp pred_x0 to [-1, 1] (off, as sample.py).")
    boolean clipDenoised;

    @Option(names = "--seed", paramLabel = "S", description = "Noise seed (Philox, the same on every device). Default: 0.")
    Long seed;

    @Option(names = "--noise", paramLabel = "NOISE.safetensors",
            description = "x_T [n,C,I,I] and z [N,n,C,I,I] F32 instead of --seed (z[k] at the k-th step).")
    Path noise;

    @Option(names = "--weights", paramLabel = "W.safetensors", description = "Official DiT key names. Default: the official init.")
    Path weights;

    @Option(names = "--init-seed", paramLabel = "N", description = "Seed of the official initialisation when no --weights. Default: 0.")
    Long initSeed;

    @Option(names = "--output", required = true, paramLabel = "OUT.safetensors", description = "Written atomically: samples [n,C,I,I] F32.")
    Path output;

    @Option(names = "--json", description = "One JSON document on stdout.")
    boolean json;

    @Override
    public void run() {
        if (seed != null && noise != null) {
            throw new Errors.UsageException("give --seed or --noise, not both");
        }
        if (weights != null && initSeed != null) {
            throw new Errors.UsageException("give --weights or --init-seed, not both");
        }
        DiTConfig config = model.config();
        Variant variant = model.variant();
        int[] labels = labels(config);
        Sampler kind = Sampler.parse(sampler);
        SamplingSettings settings = new SamplingSettings(steps, kind, eta == null ? 0 : eta, clipDenoised, cfgScale,
                guided(config));
        if (settings.guidedChannels() > config.outChannels()) {
            throw new Errors.UsageException("--guided-channels " + settings.guidedChannels() + " exceeds the model's "
                    + config.outChannels() + " output channels");
        }
        DiTSampler.Noise source = noise == null ? new DiTSampler.Seeded(seed == null ? 0 : seed)
                : readNoise(config, labels.length, settings);
        Device dev = kernelCache.device(device);
        DiTSampler built;
        try (DiTWeights w = weights != null ? DiTWeights.load(weights, config, variant)
                : DiTWeights.initialize(config, variant, initSeed == null ? 0 : initSeed)) {
            built = DiTSampler.build(w, labels, settings, source, dev);
        } // the graphs hold packed copies: the weights are freed before anything runs
        PrintWriter err = spec.commandLine().getErr();
        try (DiTSampler s = built) {
            long c0 = System.nanoTime();
            s.plan().withPreCompilation();
            double compile = (System.nanoTime() - c0) / 1e9;
            long t0 = System.nanoTime();
            float[] samples = s.sample(k -> progress(err, k, steps, t0));
            double seconds = (System.nanoTime() - t0) / 1e9;
            err.println();
            err.flush();
            new SafeTensorsWriter()
                    .metadata("ditvm.model", config.describe())
                    .metadata("ditvm.variant", variant.cliName())
                    .metadata("ditvm.sampler", kind.cliName())
                    .metadata("ditvm.steps", Integer.toString(steps))
                    .metadata("ditvm.cfg_scale", Float.toString(cfgScale))
                    .metadata("ditvm.classes", classes)
                    .metadata("ditvm.noise", noise == null ? "philox seed " + (seed == null ? 0 : seed) : noise.toString())
                    .put("samples", samples, labels.length, config.inChannels(), config.inputSize(), config.inputSize())
                    .write(output);
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("device", dev.id());
                m.put("steps", steps);
                m.put("seconds", seconds);
                m.put("seconds_per_step", seconds / steps);
                m.put("images_per_s", labels.length / seconds);
                m.put("compile_s", compile);
                m.put("output", output.toString());
                spec.commandLine().getOut().println(Json.write(m));
            } else {
                spec.commandLine().getOut().printf(Locale.ROOT,
                        "%s %s, %d images, %d %s steps, cfg %.2f on %s: %.2f s (%.3f s/step, %.3f images/s; compile %.1f s apart) -> %s%n",
                        config.modelName(), variant, labels.length, steps, kind.cliName(), cfgScale, dev.id(), seconds,
                        seconds / steps, labels.length / seconds, compile, output);
            }
            spec.commandLine().getOut().flush();
        }
    }

    /** One progress line on stderr, rewritten in place: step k/N, steps/s, ETA. */
    private static void progress(PrintWriter err, int k, int total, long t0) {
        double elapsed = (System.nanoTime() - t0) / 1e9;
        double rate = k / elapsed;
        int width = 20, filled = k * width / total;
        err.printf(Locale.ROOT, "\r[%s%s] step %d/%d  %.2f steps/s  ETA %s   ", "#".repeat(filled), "-".repeat(width - filled),
                k, total, rate, eta((total - k) / rate));
        err.flush();
    }

    private static String eta(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }

    private int[] labels(DiTConfig config) {
        int[] out;
        try {
            out = Arrays.stream(classes.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new Errors.UsageException("--classes takes a comma list of integers, found '" + classes + "'");
        }
        for (int c : out) {
            if (c < 0 || c >= config.numClasses()) {
                throw new Errors.UsageException("--classes: class " + c + " is outside 0.." + (config.numClasses() - 1)
                        + " (" + config.numClasses() + " classes)");
            }
        }
        return out;
    }

    private int guided(DiTConfig config) {
        if (guidedChannels.equalsIgnoreCase("all")) {
            return config.outChannels();
        }
        try {
            return Integer.parseInt(guidedChannels);
        } catch (NumberFormatException e) {
            throw new Errors.UsageException("--guided-channels takes a number or all, found '" + guidedChannels + "'");
        }
    }

    /** x_T [n, C, I, I] and, when a step adds noise, z [N, n, C, I, I]: both F32 (F16/BF16 converted). */
    private DiTSampler.Given readNoise(DiTConfig config, int n, SamplingSettings settings) {
        long c = config.inChannels(), i = config.inputSize();
        try (SafeTensors in = SafeTensors.open(noise)) {
            if (!in.contains("x_T")) {
                throw new Errors.UsageException(noise + ": no tensor x_T [" + n + ", " + c + ", " + i + ", " + i + "]");
            }
            in.requireShape("x_T", n, c, i, i);
            float[] z = null;
            if (in.contains("z")) {
                in.requireShape("z", settings.steps(), n, c, i, i);
                z = in.toFloats("z");
            } else if (settings.addsNoise()) {
                throw new Errors.UsageException(noise + ": no tensor z [" + settings.steps() + ", " + n + ", " + c + ", " + i
                        + ", " + i + "] (the " + settings.sampler().cliName() + " sampler adds noise at each step)");
            }
            return new DiTSampler.Given(in.toFloats("x_T"), z);
        }
    }
}
