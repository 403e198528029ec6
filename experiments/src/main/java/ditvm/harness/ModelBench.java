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
import ditvm.device.DeviceType;
import ditvm.harness.peers.Peer;
import ditvm.harness.peers.PeerException;
import ditvm.harness.peers.PeerModelFiles;
import ditvm.harness.peers.PeerResult;
import ditvm.harness.peers.PeerSession;
import ditvm.harness.peers.Peers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Measures one row: builds the variant's forward graph with the official initialisation,
 * compiles every kernel first (JIT seconds kept out of the steady state), runs the first
 * execution (weights uploaded), then {@code warmup} untimed and {@code iterations} timed
 * executions with device-event profiling; with peers, their executions interleaved with ditvm's.
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
        return measure(config, variant, batch, device, s, peakGflops, Peers.NONE);
    }

    /**
     * With peers, the weights are {@link DiTWeights#random} ({@value #PEER_WEIGHT_SCALE}) instead of the
     * official initialisation, which zeroes the output layer: an output check on all-zero outputs
     * would check nothing (the values do not change the cost). Every peer loads the same weights and
     * inputs, runs its first and warm-up executions beside ditvm's, and each timed iteration runs
     * ditvm then each peer once, so that noise on the machine hits them alike. Afterwards each peer's
     * output must be within {@value #PEER_TOLERANCE} of ditvm's (max|diff| / max|ditvm|), else the row fails.
     */
    public static Row measure(DiTConfig config, Variant variant, int batch, Device device, Settings s, Double peakGflops,
                              Peers peers) {
        Inputs in = Inputs.of(config, batch, s.seed());
        DiTForward forward;
        PeerModelFiles files = null;
        try (DiTWeights w = peers.isEmpty() ? DiTWeights.initialize(config, variant, s.seed())
                : DiTWeights.random(config, variant, s.seed(), PEER_WEIGHT_SCALE)) {
            forward = DiTForward.build(w, batch, device, s.precision(), null);
            if (!peers.isEmpty()) {
                files = PeerModelFiles.prepare(peers.workDir(), w, "random-" + s.seed() + "-" + PEER_WEIGHT_SCALE, batch, in.x(),
                        in.t(), in.y());
            }
        } // the graph holds packed copies: the weights as initialised are freed before anything runs
        List<PeerSession> sessions = new ArrayList<>();
        try (DiTForward f = forward) {
            in.copyInto(f);
            f.plan().withProfiler(ProfilerMode.SILENT);
            long c0 = System.nanoTime();
            f.plan().withPreCompilation();
            double compileS = (System.nanoTime() - c0) / 1e9;
            long e0 = System.nanoTime();
            f.execute();
            double firstS = (System.nanoTime() - e0) / 1e9;
            boolean gpu = device.info().type() == DeviceType.GPU;
            for (Peer p : peers.peers()) {
                PeerSession session = p.open(files, peers.threads(), gpu);
                sessions.add(session);
                session.run(); // its first execution
            }
            for (int i = 0; i < s.warmup(); i++) {
                f.execute();
                sessions.forEach(PeerSession::run);
            }
            List<Double> wall = new ArrayList<>();
            List<Double> dev = new ArrayList<>();
            List<List<Double>> peerWall = new ArrayList<>();
            sessions.forEach(x -> peerWall.add(new ArrayList<>()));
            for (int i = 0; i < s.iterations(); i++) {
                long t0 = System.nanoTime();
                ExecutionResult r = f.execute();
                wall.add((System.nanoTime() - t0) / 1e6);
                dev.add(r.kernelNanos() / 1e6);
                for (int j = 0; j < sessions.size(); j++) {
                    peerWall.get(j).add(sessions.get(j).run());
                }
            }
            Map<String, PeerResult> peerResults = new LinkedHashMap<>();
            float[] ours = f.output().toArray();
            for (int j = 0; j < sessions.size(); j++) {
                PeerSession session = sessions.get(j);
                String name = peers.peers().get(j).name();
                double diff = maxRelativeDiff(ours, session.output());
                if (!(diff <= PEER_TOLERANCE)) {
                    throw new PeerException(String.format(Locale.ROOT, "%s computed something else than ditvm on %s %s batch %d:"
                            + " max|diff| / max|ditvm| = %.3g > %.0e", name, config.modelName(), variant, batch, diff, PEER_TOLERANCE));
                }
                Timings pt = new Timings(peerWall.get(j).stream().mapToDouble(Double::doubleValue).toArray());
                peerResults.put(name, new PeerResult(session.label(), session.description(), pt.median(), pt.p10(), pt.p90(),
                        batch / (pt.median() / 1e3), diff, peerWall.get(j)));
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
                    compileS, firstS, s.warmup(), wall, dev,
                    Environment.hostname(), device.info().name(), device.info().driver(), peerResults, null);
        } finally {
            sessions.forEach(PeerSession::close);
        }
    }

    /** {@link #measure}, then full sampling when {@code s.samplingSteps() > 0} ({@link SamplingBench}). */
    public static Row measureWithSampling(DiTConfig config, Variant variant, int batch, Device device, Settings s,
                                          Double peakGflops, Peers peers) {
        Row row = measure(config, variant, batch, device, s, peakGflops, peers);
        return s.samplingSteps() == 0 ? row : row.withSampling(SamplingBench.measure(config, variant, batch, device, s));
    }

    /** Latents N(0, 1), timesteps in [0, 1000), labels in [0, classes) into {@code f}'s inputs: the values do not change the cost. */
    static void fillInputs(DiTForward f, DiTConfig c, int batch, long seed) {
        Inputs.of(c, batch, seed).copyInto(f);
    }

    /** Weights of a row measured with peers: uniform in [-scale, scale) (LayerNorm weights around 1). */
    public static final float PEER_WEIGHT_SCALE = 0.02f;

    /** A peer's output against ditvm's: max|diff| / max|ditvm| (ARCHITECTURE.md's fp32 tolerance). */
    public static final double PEER_TOLERANCE = 1e-4;

    static double maxRelativeDiff(float[] ours, float[] theirs) {
        if (ours.length != theirs.length) {
            throw new PeerException("a peer's output has " + theirs.length + " values, ditvm's " + ours.length);
        }
        double maxRef = 0, maxDiff = 0;
        for (int i = 0; i < ours.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(ours[i]));
            maxDiff = Math.max(maxDiff, Math.abs((double) ours[i] - theirs[i]));
        }
        return maxRef == 0 ? (maxDiff == 0 ? 0 : Double.POSITIVE_INFINITY) : maxDiff / maxRef;
    }

    /** A row's inputs: latents N(0, 1), timesteps in [0, 1000), labels in [0, classes): the values do not change the cost. */
    record Inputs(float[] x, float[] t, int[] y) {
        static Inputs of(DiTConfig c, int batch, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            float[] x = new float[batch * c.inChannels() * c.inputSize() * c.inputSize()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            float[] t = new float[batch];
            int[] y = new int[batch];
            for (int i = 0; i < batch; i++) {
                t[i] = r.nextInt(1000);
                y[i] = r.nextInt(c.numClasses());
            }
            return new Inputs(x, t, y);
        }

        void copyInto(DiTForward f) {
            for (int i = 0; i < x.length; i++) {
                f.x().set(i, x[i]);
            }
            for (int i = 0; i < t.length; i++) {
                f.t().set(i, t[i]);
                f.y().set(i, y[i]);
            }
        }
    }
}
