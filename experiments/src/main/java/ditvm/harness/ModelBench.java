package ditvm.harness;

import ditvm.bench.Timings;
import ditvm.device.Device;
import ditvm.model.DiTConfig;
import ditvm.model.Precision;
import ditvm.model.Variant;
import ditvm.model.flops.FlopCounter;
import ditvm.model.flops.ParamCounter;
import ditvm.model.graph.DiTForward;
import ditvm.model.weights.DiTWeights;
import ditvm.plan.ExecutionResult;
import ditvm.plan.ProfilerMode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Measures one row: builds the variant's forward graph with the official initialisation,
 * compiles every kernel first (JIT seconds kept out of the steady state), runs the first
 * execution (weights uploaded), then {@code warmup} untimed and {@code iterations} timed
 * executions with device-event profiling.
 */
public final class ModelBench {

    /** How to measure. */
    public record Settings(int warmup, int iterations, long seed, Precision precision, int samplingSteps) {
        public Settings {
            if (warmup < 0 || iterations < 1) {
                throw new IllegalArgumentException("need --warmup >= 0 and --iterations >= 1, found " + warmup + " and " + iterations);
            }
            if (samplingSteps < 0 || samplingSteps > 1000) {
                throw new IllegalArgumentException("--sampling-steps must be in 0..1000 (0: no sampling), given " + samplingSteps);
            }
            if (samplingSteps > 0 && precision != Precision.FP32) {
                throw new IllegalArgumentException("--sampling-steps samples in fp32 only; found --precision " + precision.cliName());
            }
        }

        /** No sampling measurement. */
        public Settings(int warmup, int iterations, long seed, Precision precision) {
            this(warmup, iterations, seed, precision, 0);
        }
    }

    private ModelBench() {
    }

    public static Row measure(DiTConfig config, Variant variant, int batch, Device device, Settings s, Double peakGflops) {
        DiTForward forward;
        try (DiTWeights w = DiTWeights.initialize(config, variant, s.seed())) {
            forward = DiTForward.build(w, batch, device, s.precision(), null);
        } // the graph holds packed copies: the weights as initialised are freed before anything runs
        try (DiTForward f = forward) {
            fillInputs(f, config, batch, s.seed());
            f.plan().withProfiler(ProfilerMode.SILENT);
            long c0 = System.nanoTime();
            f.plan().withPreCompilation();
            double compileS = (System.nanoTime() - c0) / 1e9;
            long e0 = System.nanoTime();
            f.execute();
            double firstS = (System.nanoTime() - e0) / 1e9;
            for (int i = 0; i < s.warmup(); i++) {
                f.execute();
            }
            List<Double> wall = new ArrayList<>();
            List<Double> dev = new ArrayList<>();
            for (int i = 0; i < s.iterations(); i++) {
                long t0 = System.nanoTime();
                ExecutionResult r = f.execute();
                wall.add((System.nanoTime() - t0) / 1e6);
                dev.add(r.kernelNanos() / 1e6);
            }
            Timings wt = new Timings(wall.stream().mapToDouble(Double::doubleValue).toArray());
            Timings dt = new Timings(dev.stream().mapToDouble(Double::doubleValue).toArray());
            long macs = f.cost().macs();
            double medianS = wt.median() / 1e3;
            double achieved = 2.0 * macs / medianS / 1e9;
            return new Row(variant.cliName(), config.modelName(), config.imageSize(), batch, device.id(),
                    s.precision().cliName(),
                    ParamCounter.count(config, variant).total(), FlopCounter.count(config, variant).gflops(), macs,
                    wt.median(), wt.p10(), wt.p90(), dt.median(), batch / medianS, achieved,
                    peakGflops == null ? null : 100.0 * achieved / peakGflops,
                    compileS, firstS, s.warmup(), wall, dev, null);
        }
    }

    /** {@link #measure}, then full sampling when {@code s.samplingSteps() > 0} ({@link SamplingBench}). */
    public static Row measureWithSampling(DiTConfig config, Variant variant, int batch, Device device, Settings s,
                                          Double peakGflops) {
        Row row = measure(config, variant, batch, device, s, peakGflops);
        return s.samplingSteps() == 0 ? row : row.withSampling(SamplingBench.measure(config, variant, batch, device, s));
    }

    /** Latents N(0, 1), timesteps in [0, 1000), labels in [0, classes): the values do not change the cost. */
    static void fillInputs(DiTForward f, DiTConfig c, int batch, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (long i = 0; i < f.x().length(); i++) {
            f.x().set(i, (float) r.nextGaussian());
        }
        for (int i = 0; i < batch; i++) {
            f.t().set(i, r.nextInt(1000));
            f.y().set(i, r.nextInt(c.numClasses()));
        }
    }
}
