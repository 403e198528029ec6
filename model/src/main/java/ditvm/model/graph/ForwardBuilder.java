package ditvm.model.graph;

import ditvm.device.DeviceInfo;
import ditvm.graph.DataTransferMode;
import ditvm.graph.TaskGraph;
import ditvm.kernel.Kernel;
import ditvm.kernels.Attention;
import ditvm.kernels.Gemm;
import ditvm.kernels.GemmWeights;
import ditvm.kernels.Kernels;
import ditvm.kernels.LayerNormModulate;
import ditvm.kernels.PackRows;
import ditvm.memory.DeviceArray;
import ditvm.memory.FloatArray;
import ditvm.model.Precision;
import ditvm.model.weights.DiTWeights;
import ditvm.model.weights.WeightSpec;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the forward task graph: picks each kernel's implementation for the device type,
 * packs every Linear once, declares weights as FIRST_EXECUTION transfers, and allocates the
 * device-resident intermediates. Every array it creates is added to {@code owned}, which the
 * caller frees; the graph keeps no reference into the {@link DiTWeights}, which the caller may
 * close once the graph is built.
 */
final class ForwardBuilder {
    static final float LN_EPS = 1e-6f;

    private final TaskGraph graph;
    private final DiTWeights weights;
    private final Shapes shapes;
    private final DeviceInfo device;
    private final Precision precision;
    private final List<DeviceArray> owned;
    private final Map<String, Linear> linears = new LinkedHashMap<>();
    private final Map<String, FloatArray> copies = new LinkedHashMap<>();
    private final Map<DeviceArray, Boolean> uploads = new IdentityHashMap<>();
    private final Map<Long, FloatArray> packScratch = new java.util.HashMap<>(); // floats -> PackRows output
    private final FloatArray unused; // stands for the optional arrays a kernel call does not read

    ForwardBuilder(String name, DiTWeights weights, Shapes shapes, DeviceInfo device, Precision precision,
                   List<DeviceArray> owned) {
        this.graph = new TaskGraph(name);
        this.weights = weights;
        this.shapes = shapes;
        this.device = device;
        this.precision = precision;
        this.owned = owned;
        this.unused = allocate(1);
    }

    Shapes shapes() {
        return shapes;
    }

    TaskGraph graph() {
        return graph;
    }

    /** A zero-filled array the graph owns, device-resident unless a transfer names it. */
    FloatArray allocate(long n) {
        FloatArray a = new FloatArray(n);
        owned.add(a);
        return a;
    }

    /** Takes ownership of {@code a}: freed with the graph's other arrays. */
    <A extends DeviceArray> A own(A a) {
        owned.add(a);
        return a;
    }

    /**
     * A weight tensor as it is (biases, LayerNorm affine, the label table), copied so that the
     * graph holds no reference into the caller's weights, and sent on first execution.
     */
    FloatArray weight(String name) {
        return copies.computeIfAbsent(name, n -> {
            FloatArray copy = FloatArray.fromArray(weights.get(n).toArray());
            owned.add(copy);
            return upload(copy);
        });
    }

    /** An array the graph sends on first execution (weights, constants). */
    <A extends DeviceArray> A upload(A a) {
        uploads.put(a, Boolean.TRUE);
        return a;
    }

    /** The Linear {@code prefix}.weight [out, in] / .bias, packed once for the GEMM kernels. */
    Linear linear(String prefix) {
        return linears.computeIfAbsent(prefix, p -> {
            WeightSpec.Tensor w = weights.spec().get(p + ".weight");
            int out = (int) w.shape()[0];
            int in = (int) (w.elements() / out); // the patch-embed conv [D, C, p, p] as [D, C*p*p]
            DeviceArray packed = precision == Precision.BF16 ? GemmWeights.packBf16(weights.get(p + ".weight"), out, in)
                    : GemmWeights.pack(weights.get(p + ".weight"), out, in);
            owned.add(packed);
            return new Linear(upload(packed), weight(p + ".bias"), in, out);
        });
    }

    void task(String id, Kernel kernel, Object... args) {
        graph.task(id, kernel, args);
    }

    /** The GEMM kernel for this device and precision. */
    private Kernel gemmKernel(Gemm.Epilogue epilogue) {
        if (precision == Precision.BF16) {
            return Kernels.gemmBf16(epilogue);
        }
        return Gemm.forDevice(device, epilogue);
    }

    /** out[rows, l.out] = epilogue(a[rows, l.in] W^T + b). */
    void gemm(String id, FloatArray a, int rows, Linear l, FloatArray out, Gemm.Epilogue epilogue) {
        Kernel k = gemmKernel(epilogue);
        task(id, k, gemmInput(id, k, a, rows, l.in()), l.packedWeight(), l.bias(), out, rows, l.out(), l.in());
    }

    /** out += gate[b] * (a W^T + bias) over the block rows, gate at {@code gateOffset} of mod [B, modStride]. */
    void gatedGemm(String id, FloatArray a, Linear l, FloatArray out, FloatArray mod, int modStride, int gateOffset) {
        Kernel k = gemmKernel(Gemm.Epilogue.GATED_RESIDUAL);
        task(id, k, gemmInput(id, k, a, shapes.rows(), l.in()), l.packedWeight(), l.bias(), out,
                shapes.rows(), l.out(), l.in(), mod, modStride, gateOffset, shapes.tokens());
    }

    /**
     * The GEMM's A: {@code a} itself, or for {@link Gemm.Impl#CPU_PACKED} a task {@code id.pack}
     * packing it into 6-row panels first, in a scratch array shared by every GEMM of that size
     * (the graph's tasks run in order).
     */
    private FloatArray gemmInput(String id, Kernel gemm, FloatArray a, int rows, int in) {
        return gemm instanceof Gemm g
                ? g.input(graph, id + ".pack", a, () -> packScratch.computeIfAbsent(PackRows.packedLength(rows, in), this::allocate),
                        rows, in)
                : a;
    }

    /** adaLN: out = LN(x) * (1 + scale[b]) + shift[b] over the block rows, no affine. */
    void layerNormModulate(String id, FloatArray x, FloatArray out, FloatArray mod, int modStride, int shift, int scale) {
        layerNormModulate(id, x, out, shapes.tokens(), mod, modStride, shift, scale);
    }

    void layerNormModulate(String id, FloatArray x, FloatArray out, int tokens, FloatArray mod, int modStride,
                           int shift, int scale) {
        task(id, layerNormKernel(), x, unused, unused, mod, out, shapes.batch(), tokens, shapes.hidden(), LN_EPS,
                0, 1, modStride, shift, scale);
    }

    /** Affine LayerNorm {@code norm}.weight / .bias over the block rows. */
    void layerNorm(String id, FloatArray x, FloatArray out, String norm) {
        layerNorm(id, x, out, shapes.tokens(), norm);
    }

    void layerNorm(String id, FloatArray x, FloatArray out, int tokens, String norm) {
        task(id, layerNormKernel(), x, weight(norm + ".weight"), weight(norm + ".bias"), unused, out,
                shapes.batch(), tokens, shapes.hidden(), LN_EPS, 1, 0, 1, 0, 0);
    }

    /** A work-group per row on GPUs; a work-item per few rows, float16 vectors, on CPUs and java. */
    private LayerNormModulate layerNormKernel() {
        return device.type().runsCpuKernels() ? Kernels.LAYERNORM_MODULATE_CPU : Kernels.LAYERNORM_MODULATE;
    }

    /** qkv = Linear(D -> 3D)(h); att = softmax(q k^T / sqrt(hd)) v per head. */
    void selfAttention(String prefix, BlockBuffers t) {
        gemm(prefix + "qkv", t.h(), shapes.rows(), linear(prefix + "attn.qkv"), t.qkv(), Gemm.Epilogue.NONE);
        Attention kernel = device.type().runsCpuKernels() ? Kernels.ATTENTION_CPU : Kernels.ATTENTION;
        task(prefix + "attn", kernel, t.qkv(), t.att(), shapes.batch(), shapes.tokens(), shapes.heads(), shapes.headDim(),
                shapes.attentionScale());
    }

    /** out [B, tokens, D] = softmax(q k^T / sqrt(hd)) v with q [B, tokens, D], kv [B, 2, 2D]. */
    void crossAttention(String id, FloatArray q, FloatArray kv, FloatArray out) {
        task(id, Kernels.CROSS_ATTENTION, q, kv, out, shapes.batch(), shapes.tokens(), 2, shapes.heads(), shapes.headDim(),
                shapes.attentionScale());
    }

    /** Declares the FIRST_EXECUTION upload of every weight and constant used. */
    void declareUploads() {
        graph.transferToDevice(DataTransferMode.FIRST_EXECUTION, new ArrayList<>(uploads.keySet()).toArray(DeviceArray[]::new));
    }
}
