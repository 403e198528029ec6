package ditvm.model.graph;

import ditvm.device.Device;
import ditvm.graph.DataTransferMode;
import ditvm.graph.ImmutableTaskGraph;
import ditvm.kernel.Cost;
import ditvm.kernels.Gemm;
import ditvm.kernels.Kernels;
import ditvm.memory.DeviceArray;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;
import ditvm.model.DiTConfig;
import ditvm.model.Precision;
import ditvm.model.Variant;
import ditvm.model.weights.DiTWeights;
import ditvm.model.weights.PositionEmbedding;
import java.util.ArrayList;
import java.util.List;

/**
 * A DiT forward pass as one task graph on one device, built once per (weights, batch, device):
 * weights go to the device on the first execution, activations stay there, only the output
 * comes back. Owns its host arrays (packed and copied weights included, so the
 * {@link DiTWeights} it was built from may be closed once it is built) and its execution plan;
 * close it to free both. Not for concurrent use: {@link #forward} fills the shared input arrays
 * before it executes (one DiTForward per thread).
 *
 * <pre>
 *   x [B,C,I,I] --patchify--> [B*T, C*p*p] --patch_embed--> tok [B*T, D] --+pos
 *   t [B] --timestep--> [B, 256] --t_mlp0, SiLU, t_mlp2--> t_emb [B, D]
 *   y [B] --label table--> y_emb [B, D]
 *   adaLN(-Zero):  cond = SiLU(t_emb + y_emb); blocks on tok; final: LN, modulate(Linear(cond))
 *   in-context:    [tok ; t_emb ; y_emb] [B, T+2, D]; blocks; drop the 2 tokens; final: affine LN
 *   cross-attn:    context [t_emb ; y_emb] [B, 2, D]; blocks on tok; final: affine LN
 *   --final_linear--> [B*T, p*p*out] --unpatchify--> out [B, out, I, I]
 *   with guidance:  the batch is [cond ; null class]; out [B/2, out, I, I] = uncond + s (cond - uncond)
 * </pre>
 */
public final class DiTForward implements AutoCloseable {
    private final DiTConfig config;
    private final Variant variant;
    private final int batch;
    private final boolean guided;
    private final FloatArray x;
    private final FloatArray t;
    private final IntArray y;
    private final FloatArray output;
    private final ImmutableTaskGraph graph;
    private final List<DeviceArray> owned;
    private final ditvm.plan.ExecutionPlan plan;

    private DiTForward(DiTConfig config, Variant variant, int batch, boolean guided, FloatArray x, FloatArray t,
                       IntArray y, FloatArray output, ImmutableTaskGraph graph, List<DeviceArray> owned, Device device) {
        this.config = config;
        this.variant = variant;
        this.batch = batch;
        this.guided = guided;
        this.x = x;
        this.t = t;
        this.y = y;
        this.output = output;
        this.graph = graph;
        this.owned = owned;
        this.plan = new ditvm.plan.ExecutionPlan(graph).withDevice(device);
    }

    /**
     * Classifier-free guidance ({@code forward_with_cfg}): uncond + scale * (cond - uncond) on the
     * first {@code channels} output channels (3 in the official code; all channels is the
     * textbook rule), the conditional output on the rest.
     */
    public record Guidance(float scale, int channels) {
    }

    /** The plain fp32 forward pass for {@code batch} samples. */
    public static DiTForward build(DiTWeights weights, int batch, Device device) {
        return build(weights, batch, device, Precision.FP32, null);
    }

    /**
     * The guided fp32 forward pass for {@code batch} conditional samples: the graph runs
     * 2 * batch rows, [x ; x] with labels [y ; null class].
     */
    public static DiTForward buildWithGuidance(DiTWeights weights, int batch, Device device, float scale, int guidedChannels) {
        return build(weights, batch, device, Precision.FP32, new Guidance(scale, guidedChannels));
    }

    /** The forward pass in {@code precision}, guided when {@code guidance} is not null. */
    public static DiTForward build(DiTWeights weights, int batch, Device device, Precision precision, Guidance guidance) {
        if (guidance != null) {
            if (!Float.isFinite(guidance.scale())) {
                throw new IllegalArgumentException("guidance scale must be finite, found " + guidance.scale());
            }
            int out = weights.config().outChannels();
            if (guidance.channels() < 1 || guidance.channels() > out) {
                throw new IllegalArgumentException("guided channels must be in 1.." + out + ", found " + guidance.channels());
            }
        }
        return build(weights, batch, device, precision, guidance, false);
    }

    /** In-context only, for the test that token order does not matter: appends [y_emb, t_emb]. */
    static DiTForward buildSwappingConditionTokens(DiTWeights weights, int batch, Device device) {
        return build(weights, batch, device, Precision.FP32, null, true);
    }

    private static DiTForward build(DiTWeights weights, int batch, Device device, Precision precision, Guidance guidance,
                                    boolean swapConditionTokens) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, found " + batch);
        }
        boolean guided = guidance != null;
        DiTConfig c = weights.config();
        Variant v = weights.variant();
        int rowsBatch = guided ? 2 * batch : batch;
        List<DeviceArray> owned = new ArrayList<>();
        try {
            ForwardBuilder b = builder("dit", weights, rowsBatch, device, precision, owned);
            FloatArray x = b.allocate((long) rowsBatch * c.inChannels() * c.inputSize() * c.inputSize());
            FloatArray t = b.allocate(rowsBatch);
            IntArray y = new IntArray(rowsBatch);
            owned.add(y);

            FloatArray out = addForwardTasks(b, weights, rowsBatch, x, t, y, swapConditionTokens);
            long image = (long) c.outChannels() * c.inputSize() * c.inputSize();
            FloatArray result = out;
            if (guided) {
                result = b.allocate(batch * image);
                b.task("guidance", Kernels.CFG_COMBINE, out, result, batch, c.outChannels(), c.inputSize(), guidance.scale(),
                        guidance.channels());
            }
            b.declareUploads();
            b.graph().transferToDevice(DataTransferMode.EVERY_EXECUTION, x, t, y)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, result);
            return new DiTForward(c, v, batch, guided, x, t, y, result, b.graph().snapshot(), owned, device);
        } catch (RuntimeException e) {
            owned.forEach(DeviceArray::close);
            throw e;
        }
    }

    /** The builder for a forward pass over {@code rowsBatch} rows (2B when guided) of {@code weights}' model. */
    static ForwardBuilder builder(String name, DiTWeights weights, int rowsBatch, Device device, Precision precision,
                                  List<DeviceArray> owned) {
        DiTConfig c = weights.config();
        int blockTokens = weights.variant() == Variant.IN_CONTEXT ? c.tokens() + 2 : c.tokens();
        return new ForwardBuilder(name, weights, Shapes.of(c, rowsBatch, blockTokens), device.info(), precision, owned);
    }

    /**
     * Adds the forward pass's tasks to {@code b}: x [rows, C, I, I], t [rows], y [rows] in; returns the
     * device-resident output [rows, out, I, I]. Allocates its intermediates through {@code b}.
     */
    static FloatArray addForwardTasks(ForwardBuilder b, DiTWeights weights, int rowsBatch, FloatArray x, FloatArray t,
                                      IntArray y, boolean swapConditionTokens) {
        DiTConfig c = weights.config();
        Variant v = weights.variant();
        int tokens = c.tokens();
        int d = c.hidden();
        int blockTokens = v == Variant.IN_CONTEXT ? tokens + 2 : tokens;

        // Embedders: tok [B*T, D], t_emb and y_emb [B, D].
        FloatArray patches = b.allocate((long) rowsBatch * tokens * c.patchDim());
        FloatArray tok = b.allocate((long) rowsBatch * tokens * d);
        b.task("patchify", Kernels.PATCHIFY, x, patches, rowsBatch, c.inChannels(), c.inputSize(), c.patch());
        b.gemm("patch_embed", patches, rowsBatch * tokens, b.linear("x_embedder.proj"), tok, Gemm.Epilogue.NONE);
        FloatArray pos = b.own(PositionEmbedding.sinCos2d(d, c.gridSize()));
        b.task("pos_embed", Kernels.ADD_POS_EMBED, tok, b.upload(pos), tok, rowsBatch, tokens, d);
        FloatArray freq = b.allocate(rowsBatch * 256L);
        FloatArray th = b.allocate((long) rowsBatch * d);
        FloatArray thAct = b.allocate((long) rowsBatch * d);
        FloatArray tEmb = b.allocate((long) rowsBatch * d);
        FloatArray yEmb = b.allocate((long) rowsBatch * d);
        b.task("timestep", Kernels.TIMESTEP_EMBED, t, freq, rowsBatch, 256);
        b.gemm("t_mlp0", freq, rowsBatch, b.linear("t_embedder.mlp.0"), th, Gemm.Epilogue.NONE);
        b.task("t_silu", Kernels.SILU, th, thAct, rowsBatch * d);
        b.gemm("t_mlp2", thAct, rowsBatch, b.linear("t_embedder.mlp.2"), tEmb, Gemm.Epilogue.NONE);
        b.task("label", Kernels.LABEL_GATHER, y, b.weight("y_embedder.embedding_table.weight"), yEmb, rowsBatch,
                c.numClasses(), d);

        // Blocks over the residual stream.
        long rows = (long) rowsBatch * blockTokens;
        FloatArray condition = b.allocate((long) rowsBatch * d);
        FloatArray stream = v == Variant.IN_CONTEXT ? b.allocate(rows * d) : tok;
        FloatArray context = v == Variant.CROSS_ATTENTION ? b.allocate(2L * rowsBatch * d) : condition;
        FloatArray kv = v == Variant.CROSS_ATTENTION ? b.allocate(4L * rowsBatch * d) : condition;
        BlockBuffers buffers = new BlockBuffers(stream, b.allocate(rows * d), b.allocate(rows * 3 * d),
                b.allocate(rows * d), b.allocate(rows * c.mlpHidden()),
                v.usesAdaLn() ? b.allocate(6L * rowsBatch * d) : condition, condition, context, kv);
        switch (v) {
            case ADALN_ZERO, ADALN -> {
                FloatArray sum = b.allocate((long) rowsBatch * d);
                b.task("c", Kernels.ADD, tEmb, yEmb, sum, rowsBatch * d);
                b.task("c_silu", Kernels.SILU, sum, condition, rowsBatch * d);
            }
            case IN_CONTEXT -> b.task("append_tokens", Kernels.APPEND_TOKENS, tok, swapConditionTokens ? yEmb : tEmb,
                    swapConditionTokens ? tEmb : yEmb, stream, rowsBatch, tokens, d);
            case CROSS_ATTENTION -> b.task("context", Kernels.APPEND_TOKENS, condition, tEmb, yEmb, context, rowsBatch, 0, d);
        }
        Block block = Block.of(v);
        for (int i = 0; i < c.depth(); i++) {
            block.addTasks(b, i, buffers);
        }
        if (v == Variant.IN_CONTEXT) {
            b.task("drop_tokens", Kernels.DROP_TOKENS, stream, tok, rowsBatch, tokens, d);
        }

        // Final layer on the T image tokens, then unpatchify.
        FloatArray h = buffers.h();
        if (v.usesAdaLn()) {
            FloatArray mod = buffers.mod();
            b.gemm("final_ada", condition, rowsBatch, b.linear("final_layer.adaLN_modulation.1"), mod, Gemm.Epilogue.NONE);
            b.layerNormModulate("final_ln", tok, h, tokens, mod, 2 * d, 0, d);
        } else {
            b.layerNorm("final_ln", tok, h, tokens, "final_layer.norm_final");
        }
        FloatArray patchOut = b.allocate((long) rowsBatch * tokens * c.patchOutDim());
        b.gemm("final_linear", h, rowsBatch * tokens, b.linear("final_layer.linear"), patchOut, Gemm.Epilogue.NONE);
        long image = (long) c.outChannels() * c.inputSize() * c.inputSize();
        FloatArray out = b.allocate(rowsBatch * image);
        b.task("unpatchify", Kernels.UNPATCHIFY, patchOut, out, rowsBatch, c.outChannels(), c.inputSize(), c.patch());
        return out;
    }

    public DiTConfig config() {
        return config;
    }

    public Variant variant() {
        return variant;
    }

    /** Samples per forward pass (the conditional samples when guided). */
    public int batch() {
        return batch;
    }

    public ImmutableTaskGraph graph() {
        return graph;
    }

    public ditvm.plan.ExecutionPlan plan() {
        return plan;
    }

    /** Sum of the tasks' cost models: MACs and LayerNorm elements of one execution. */
    public Cost cost() {
        return graph.cost();
    }

    /** Input latents [rows, C, I, I]; rows = batch, or 2 * batch when guided (filled by {@link #forward}). */
    public FloatArray x() {
        return x;
    }

    public FloatArray t() {
        return t;
    }

    public IntArray y() {
        return y;
    }

    /** The output [batch, out, I, I], valid after an execution. */
    public FloatArray output() {
        return output;
    }

    /** Executes the graph on whatever the input arrays hold. */
    public ditvm.plan.ExecutionResult execute() {
        return plan.execute();
    }

    /**
     * One forward pass: x [batch, C, I, I], t [batch], y [batch] (labels 0..num_classes, the last
     * being the null class); returns a copy of the output [batch, out, I, I].
     */
    public float[] forward(float[] xs, float[] ts, int[] ys) {
        long image = (long) config.inChannels() * config.inputSize() * config.inputSize();
        if (xs.length != batch * image || ts.length != batch || ys.length != batch) {
            throw new IllegalArgumentException("forward expects x [" + batch + ", " + config.inChannels() + ", "
                    + config.inputSize() + ", " + config.inputSize() + "] (" + batch * image + " values), t [" + batch
                    + "], y [" + batch + "]; found " + xs.length + ", " + ts.length + ", " + ys.length);
        }
        for (int i = 0; i < batch; i++) {
            if (ys[i] < 0 || ys[i] > config.numClasses()) {
                throw new IllegalArgumentException("label y[" + i + "] = " + ys[i] + " is outside 0.." + config.numClasses()
                        + " (" + config.numClasses() + " is the null class)");
            }
        }
        int copies = guided ? 2 : 1;
        for (int half = 0; half < copies; half++) {
            java.lang.foreign.MemorySegment.copy(xs, 0, x.segment(), java.lang.foreign.ValueLayout.JAVA_FLOAT,
                    half * image * batch * Float.BYTES, xs.length);
            for (int i = 0; i < batch; i++) {
                t.set((long) half * batch + i, ts[i]);
                y.set((long) half * batch + i, half == 0 ? ys[i] : config.numClasses());
            }
        }
        execute();
        return output.toArray();
    }

    @Override
    public void close() {
        plan.close();
        owned.forEach(DeviceArray::close);
    }
}
