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
 * and, in the same run, one forward pass of the doubled batch (2 x batch rows, the work of one
 * guided step) as the yardstick: a step costs the model plus guidance, noise and the update.
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
            double forwardMs = forwardMedianMs(fwd, config, s);
            smp.plan().withPreCompilation();
            List<Double> stepMs = new ArrayList<>();
            long[] last = {System.nanoTime()};
            long t0 = last[0];
            smp.sample(k -> {
                long now = System.nanoTime();
                stepMs.add((now - last[0]) / 1e6);
                last[0] = now;
            });
            double total = (System.nanoTime() - t0) / 1e9;
            // The first step uploads the weights; the steady state is the median of the others.
            List<Double> steady = stepMs.size() > 1 ? stepMs.subList(1, stepMs.size()) : stepMs;
            double perStep = new Timings(steady.stream().mapToDouble(Double::doubleValue).toArray()).median() / 1e3;
            return new Row.Sampling(settings.steps(), Sampler.DDPM.cliName(), CFG_SCALE, GUIDED_CHANNELS, perStep, total,
                    batch / total, forwardMs, perStep * 1e3 / forwardMs, stepMs);
        }
    }

    /** Median wall ms of the doubled-batch forward pass: first execution, warm-up, then the timed ones. */
    private static double forwardMedianMs(DiTForward f, DiTConfig config, ModelBench.Settings s) {
        ModelBench.fillInputs(f, config, f.batch(), s.seed());
        f.plan().withPreCompilation();
        f.execute();
        for (int i = 0; i < s.warmup(); i++) {
            f.execute();
        }
        double[] ms = new double[s.iterations()];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            f.execute();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return new Timings(ms).median();
    }
}
