package ditvm.model.flops;

import ditvm.model.DiTConfig;
import ditvm.model.Variant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Analytic forward-pass cost of a DiT from its architecture, in the convention that reproduces
 * the paper's Table 4 and Figure 5 (dit-spec.md section 4): the MACs of every matrix product,
 * plus one per LayerNorm output element. Biases, activations, softmax, modulate, gates, residual
 * adds, the label lookup and (un)patchify count nothing.
 *
 * <p>Component names (MACs): {@value #PATCH_EMBED}, {@value #T_MLP}, {@value #ADALN} (the blocks'
 * modulation linears), {@value #QKV}, {@value #ATTN_QK}, {@value #ATTN_V}, {@value #ATTN_PROJ},
 * {@value #FC1}, {@value #FC2}, {@value #CROSS_Q}, {@value #CROSS_KV}, {@value #CROSS_QK},
 * {@value #CROSS_V}, {@value #CROSS_PROJ}, {@value #FINAL_ADALN}, {@value #FINAL_LINEAR}.
 */
public final class FlopCounter {

    public static final String PATCH_EMBED = "patch_embed";
    public static final String T_MLP = "t_mlp";
    public static final String ADALN = "adaln";
    public static final String QKV = "qkv";
    public static final String ATTN_QK = "attn_qk";
    public static final String ATTN_V = "attn_v";
    public static final String ATTN_PROJ = "attn_proj";
    public static final String FC1 = "fc1";
    public static final String FC2 = "fc2";
    public static final String CROSS_Q = "cross_q";
    public static final String CROSS_KV = "cross_kv";
    public static final String CROSS_QK = "cross_qk";
    public static final String CROSS_V = "cross_v";
    public static final String CROSS_PROJ = "cross_proj";
    public static final String FINAL_ADALN = "final_adaln";
    public static final String FINAL_LINEAR = "final_linear";

    /** Width of the sinusoidal timestep features fed to the t-MLP. */
    static final int TIMESTEP_FEATURES = 256;
    /** Tokens of the conditioning context [t_emb, y_emb] (in-context and cross-attention). */
    static final int CONDITION_TOKENS = 2;

    private FlopCounter() {
    }

    /** Batch 1: the paper's figure. */
    public static FlopCount count(DiTConfig c, Variant v) {
        return count(c, v, 1);
    }

    public static FlopCount count(DiTConfig c, Variant v, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, found " + batch);
        }
        long d = c.hidden();
        long t = c.tokens();
        long n = c.depth();
        // In-context attends over the image tokens plus the two condition tokens, dropped after the last block.
        long tb = v == Variant.IN_CONTEXT ? t + CONDITION_TOKENS : t;

        Map<String, Long> m = new LinkedHashMap<>();
        m.put(PATCH_EMBED, linear(t, c.patchDim(), d));                              // [T, C p p] x [C p p, D]
        m.put(T_MLP, linear(1, TIMESTEP_FEATURES, d) + linear(1, d, d));            // 256 -> D -> D
        switch (v) {
            case ADALN_ZERO -> m.put(ADALN, n * linear(1, d, 6 * d));               // SiLU(c) -> 6 x [D]
            case ADALN -> m.put(ADALN, n * linear(1, d, 4 * d));                    // SiLU(c) -> 4 x [D]
            case IN_CONTEXT, CROSS_ATTENTION -> { }
        }
        m.put(QKV, n * linear(tb, d, 3 * d));                                       // [Tb, D] -> [Tb, 3D]
        m.put(ATTN_QK, n * tb * tb * d);                                            // H x [Tb, hd] [hd, Tb]
        m.put(ATTN_V, n * tb * tb * d);                                             // H x [Tb, Tb] [Tb, hd]
        m.put(ATTN_PROJ, n * linear(tb, d, d));
        if (v == Variant.CROSS_ATTENTION) {
            long ctx = CONDITION_TOKENS;
            m.put(CROSS_Q, n * linear(t, d, d));                                    // queries from image tokens
            m.put(CROSS_KV, n * linear(ctx, d, 2 * d));                             // [k | v] from [t_emb, y_emb]
            m.put(CROSS_QK, n * t * ctx * d);                                       // H x [T, hd] [hd, 2]
            m.put(CROSS_V, n * t * ctx * d);                                        // H x [T, 2] [2, hd]
            m.put(CROSS_PROJ, n * linear(t, d, d));
        }
        m.put(FC1, n * linear(tb, d, c.mlpHidden()));
        m.put(FC2, n * linear(tb, c.mlpHidden(), d));
        if (v == Variant.ADALN_ZERO || v == Variant.ADALN) {
            m.put(FINAL_ADALN, linear(1, d, 2 * d));                                // SiLU(c) -> shift, scale
        }
        m.put(FINAL_LINEAR, linear(t, d, c.patchOutDim()));                         // [T, D] -> [T, p p out]

        long normsPerBlock = v == Variant.CROSS_ATTENTION ? 3 : 2;
        long layerNorm = n * normsPerBlock * tb * d + t * d;                        // blocks + final layer

        m.replaceAll((k, macs) -> Math.multiplyExact(macs, (long) batch));
        return new FlopCount(c, v, batch, m, Math.multiplyExact(layerNorm, (long) batch));
    }

    /** MACs of [rows, in] x [in, out]. */
    private static long linear(long rows, long in, long out) {
        return Math.multiplyExact(Math.multiplyExact(rows, in), out);
    }
}
