package ditvm.model.graph;

import ditvm.device.Device;
import ditvm.graph.DataTransferMode;
import ditvm.graph.ImmutableTaskGraph;
import ditvm.graph.TaskGraph;
import ditvm.kernel.Cost;
import ditvm.kernels.Kernels;
import ditvm.kernels.SamplerStep;
import ditvm.memory.DeviceArray;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;
import ditvm.model.DiTConfig;
import ditvm.model.Precision;
import ditvm.model.sampling.DiffusionSchedule;
import ditvm.model.sampling.Sampler;
import ditvm.model.sampling.SamplingSettings;
import ditvm.model.weights.DiTWeights;
import ditvm.plan.ExecutionPlan;
import ditvm.plan.ExecutionResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The reverse diffusion process on one device (dit-spec.md section 5, {@code sample.py}), as two
 * task graphs of one plan; the state x_t stays on the device from x_T to x_0:
 * <pre>
 *   init (once per sampling run):  step = 0, y = [classes ; null x n] in;
 *                                  x = x_T (Philox stream 0 of the seed, or the given x_T)
 *   step (N times, no host copy):  xin [rows, C, I, I] = x or [x ; x], t [rows] = timesteps[step]
 *                                  out [rows, out, I, I] = DiT(xin, t, y)
 *                                  eps [n, out, I, I] = guidance(out)   (when guided)
 *                                  z [n, C, I, I] = Philox stream step+1 (or row step of the given z)
 *                                  x = update(x, eps, z, table[step]);  step += 1
 *   then x [n, C, I, I] comes back once (UNDER_DEMAND).
 * </pre>
 * rows = 2n with guidance (scale != 1), n without. Owns its arrays and plan; close it to free them.
 * The weights may be closed once it is built. Not for concurrent use.
 */
public final class DiTSampler implements AutoCloseable {
    /** Where x_T and each step's z come from. */
    public sealed interface Noise {
    }

    /** Philox4x32-10 keyed by the seed: x_T is stream 0, step k's z stream k + 1. Same on every device. */
    public record Seeded(long seed) implements Noise {
    }

    /** Given noise: x_T [n, C, I, I] and z [N, n, C, I, I] (null when no step adds noise). */
    public record Given(float[] xT, float[] z) implements Noise {
    }

    private final DiTConfig config;
    private final SamplingSettings settings;
    private final int images;
    private final FloatArray x;
    private final IntArray step;
    private final ImmutableTaskGraph stepGraph;
    private final List<DeviceArray> owned;
    private final ExecutionPlan plan;

    private DiTSampler(DiTConfig config, SamplingSettings settings, int images, FloatArray x, IntArray step,
                       ImmutableTaskGraph init, ImmutableTaskGraph stepGraph, List<DeviceArray> owned, Device device) {
        this.config = config;
        this.settings = settings;
        this.images = images;
        this.x = x;
        this.step = step;
        this.stepGraph = stepGraph;
        this.owned = owned;
        this.plan = new ExecutionPlan(init, stepGraph).withDevice(device);
    }

    /** A sampler of {@code classes.length} images of these classes (each in 0..num_classes-1). */
    public static DiTSampler build(DiTWeights weights, int[] classes, SamplingSettings settings, Noise noise, Device device) {
        DiTConfig c = weights.config();
        int n = classes.length;
        if (n < 1) {
            throw new IllegalArgumentException("at least one class label is needed, given none");
        }
        for (int i = 0; i < n; i++) {
            if (classes[i] < 0 || classes[i] >= c.numClasses()) {
                throw new IllegalArgumentException("class " + classes[i] + " is outside 0.." + (c.numClasses() - 1)
                        + " (" + c.numClasses() + " classes)");
            }
        }
        if (settings.guidedChannels() > c.outChannels()) {
            throw new IllegalArgumentException("--guided-channels " + settings.guidedChannels() + " exceeds the model's "
                    + c.outChannels() + " output channels");
        }
        int steps = settings.steps();
        int image = c.inChannels() * c.inputSize() * c.inputSize();
        int state = n * image;
        if (noise instanceof Given g) {
            if (g.xT().length != state) {
                throw new IllegalArgumentException("x_T has " + g.xT().length + " values, expected " + state);
            }
            if (settings.addsNoise() && (g.z() == null || g.z().length != (long) steps * state)) {
                throw new IllegalArgumentException("z has " + (g.z() == null ? "no" : g.z().length) + " values, expected "
                        + (long) steps * state + " (" + steps + " steps)");
            }
        }
        boolean guided = settings.guided();
        int rows = guided ? 2 * n : n;
        DiffusionSchedule schedule = DiffusionSchedule.respaced(steps);
        List<DeviceArray> owned = new ArrayList<>();
        try {
            ForwardBuilder b = DiTForward.builder("step", weights, rows, device, Precision.FP32, owned);
            FloatArray x = b.allocate(state);
            IntArray stepCounter = b.own(new IntArray(1));
            IntArray y = b.own(new IntArray(rows));
            for (int r = 0; r < rows; r++) {
                y.set(r, r < n ? classes[r] : c.numClasses());
            }

            // init: x_T and the counter.
            TaskGraph init = new TaskGraph("init").transferToDevice(DataTransferMode.EVERY_EXECUTION, stepCounter, y);
            int seedLo = 0, seedHi = 0;
            if (noise instanceof Seeded s) {
                seedLo = (int) s.seed();
                seedHi = (int) (s.seed() >>> 32);
                init.task("x_T", Kernels.PHILOX_NORMAL, x, state, seedLo, seedHi, stepCounter, 0);
            } else {
                FloatArray xT = b.own(FloatArray.fromArray(((Given) noise).xT()));
                init.transferToDevice(DataTransferMode.EVERY_EXECUTION, xT).task("x_T", Kernels.COPY, xT, x, state);
            }
            init.persistOnDevice(x, stepCounter, y);

            // step: the model, guidance, noise and the update.
            TaskGraph g = b.graph().consumeFromDevice("init", x, stepCounter, y);
            FloatArray timesteps = b.upload(b.own(FloatArray.fromArray(schedule.loopTimesteps())));
            FloatArray table = b.upload(b.own(FloatArray.fromArray(schedule.stepTable(settings.eta()))));
            FloatArray xin = b.allocate((long) rows * image);
            FloatArray t = b.allocate(rows);
            b.task("sample_input", Kernels.SAMPLE_INPUT, x, timesteps, stepCounter, xin, t, n, image, rows / n, steps);
            FloatArray out = DiTForward.addForwardTasks(b, weights, rows, xin, t, y, false);
            int outImage = c.outChannels() * c.inputSize() * c.inputSize();
            FloatArray eps = out;
            if (guided) {
                eps = b.allocate((long) n * outImage);
                b.task("guidance", Kernels.CFG_COMBINE, out, eps, n, c.outChannels(), c.inputSize(), settings.cfgScale(),
                        settings.guidedChannels());
            }
            FloatArray z;
            int noiseStride = 0;
            if (!settings.addsNoise()) {
                z = b.allocate(state); // zeros: no step adds noise
            } else if (noise instanceof Seeded) {
                z = b.allocate(state);
                b.task("noise", Kernels.PHILOX_NORMAL, z, state, seedLo, seedHi, stepCounter, 1);
            } else {
                z = b.upload(b.own(FloatArray.fromArray(((Given) noise).z())));
                noiseStride = state;
            }
            int mode = settings.sampler() == Sampler.DDIM ? SamplerStep.DDIM
                    : c.learnSigma() ? SamplerStep.LEARNED_RANGE : SamplerStep.FIXED_LARGE;
            b.task("update", Kernels.SAMPLER_STEP, x, eps, z, table, stepCounter, n, c.inChannels(), c.inputSize(),
                    c.outChannels(), mode, settings.clipDenoised() ? 1 : 0, noiseStride, steps);
            b.task("advance", Kernels.STEP_ADVANCE, stepCounter);
            b.declareUploads();
            g.transferToHost(DataTransferMode.UNDER_DEMAND, x);
            return new DiTSampler(c, settings, n, x, stepCounter, init.snapshot(), g.snapshot(), owned, device);
        } catch (RuntimeException e) {
            owned.forEach(DeviceArray::close);
            throw e;
        }
    }

    public DiTConfig config() {
        return config;
    }

    public SamplingSettings settings() {
        return settings;
    }

    /** Images per sampling run. */
    public int images() {
        return images;
    }

    public ExecutionPlan plan() {
        return plan;
    }

    /** The cost model of one reverse step (the model on every row, guidance, noise, update). */
    public Cost stepCost() {
        return stepGraph.cost();
    }

    /** One sampling run: returns x_0 [n, C, I, I]. {@code afterStep} hears k = 1..N after each step. */
    public float[] sample(IntConsumer afterStep) {
        step.set(0, 0);
        plan.execute("init");
        ExecutionResult last = null;
        for (int k = 1; k <= settings.steps(); k++) {
            last = plan.execute("step");
            afterStep.accept(k);
        }
        last.transferToHost(x);
        return x.toArray();
    }

    /** Every array this sampler owns (for the test that close frees them all). */
    List<DeviceArray> ownedArrays() {
        return List.copyOf(owned);
    }

    @Override
    public void close() {
        plan.close();
        owned.forEach(DeviceArray::close);
    }
}
