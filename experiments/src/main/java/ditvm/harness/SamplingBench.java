package ditvm.harness;

import ditvm.bench.Timings;
import ditvm.device.Device;
import ditvm.model.DiTConfig;
import ditvm.model.Precision;
import ditvm.model.Variant;
import ditvm.model.graph.DiTForward;
import ditvm.model.graph.DiTSampler;
import ditvm.model.sampling.Sampler;
import ditvm.model.sampling.SamplingSettings;
import ditvm.model.weights.DiTWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Times full sampling for one row: {@code batch} images, N DDPM steps with guidance as
 * {@code sample.py} (scale 4, the first 3 channels, Philox noise), the official initialisation;
 * and, paired with each step, one forward pass of the doubled batch (2 x batch rows, the work of
 * one guided step) as the yardstick: a step costs the model plus guidance, noise and the update.
 * Sampling seconds are the sum of the N steps (the first uploads the weights; compile apart).
 */
public final class SamplingBench {
    static final float CFG_SCALE = 4f;
    static final int GUIDED_CHANNELS = 3;

    private SamplingBench() {
    }

    public static Row.Sampling measure(DiTConfig config, Variant variant, int batch, Device device, ModelBench.Settings s) {
        SamplingSettings settings = new SamplingSettings(s.samplingSteps(), Sampler.DDPM, 0, false, CFG_SCALE, GUIDED_CHANNELS);
        SplittableRandom r = new SplittableRandom(s.seed());
        int[] classes = new int[batch];
        for (int i = 0; i < batch; i++) {
            classes[i] = r.nextInt(config.numClasses());
        }
        DiTSampler sampler;
        DiTForward forward;
        try (DiTWeights w = DiTWeights.initialize(config, variant, s.seed())) {
            sampler = DiTSampler.build(w, classes, settings, new DiTSampler.Seeded(s.seed()), device);
            forward = DiTForward.build(w, 2 * batch, device, Precision.FP32, null);
        }
        try (DiTSampler smp = sampler; DiTForward fwd = forward) {
            warmUp(fwd, config, s);
            smp.plan().withPreCompilation();
            // Paired: after each sampling step, one timed forward pass of the doubled batch, so both
            // see the same machine (other processes' load drifts over a run of minutes).
            List<Double> stepMs = new ArrayList<>();
            List<Double> forwardMs = new ArrayList<>();
            long[] last = {System.nanoTime()};
            smp.sample(k -> {
                stepMs.add((System.nanoTime() - last[0]) / 1e6);
                long f0 = System.nanoTime();
                fwd.execute();
                forwardMs.add((System.nanoTime() - f0) / 1e6);
                last[0] = System.nanoTime();
            });
            double total = stepMs.stream().mapToDouble(Double::doubleValue).sum() / 1e3;
            // The first step uploads the weights; the steady state is the median of the others.
            double perStep = median(stepMs.size() > 1 ? stepMs.subList(1, stepMs.size()) : stepMs) / 1e3;
            double forwardMedian = median(forwardMs);
            return new Row.Sampling(settings.steps(), Sampler.DDPM.cliName(), CFG_SCALE, GUIDED_CHANNELS, perStep, total,
                    batch / total, forwardMedian, perStep * 1e3 / forwardMedian, stepMs, forwardMs);
        }
    }

    private static double median(List<Double> ms) {
        return new Timings(ms.stream().mapToDouble(Double::doubleValue).toArray()).median();
    }

    /** The doubled-batch forward pass: inputs, compile, first execution (weights uploaded), warm-up. */
    private static void warmUp(DiTForward f, DiTConfig config, ModelBench.Settings s) {
        ModelBench.fillInputs(f, config, f.batch(), s.seed());
        f.plan().withPreCompilation();
        f.execute();
        for (int i = 0; i < s.warmup(); i++) {
            f.execute();
        }
    }
}
