package ditvm.model.flops;

import ditvm.model.DiTConfig;
import ditvm.model.Variant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trainable parameters of a DiT from its architecture (dit-spec.md sections 2 and 3): every
 * Linear's weight and bias, the patch-embed convolution, the label table of num_classes + 1
 * rows, and 2D per affine LayerNorm (in-context and cross-attention). The position embedding
 * is fixed and not counted; the adaLN variants' LayerNorms have no parameters.
 *
 * <p>Component names: {@value #PATCH_EMBED}, {@value #T_MLP}, {@value #LABEL_EMBED},
 * {@value #ADALN}, {@value #BLOCK_NORMS}, {@value #QKV}, {@value #ATTN_PROJ}, {@value #CROSS_Q},
 * {@value #CROSS_KV}, {@value #CROSS_PROJ}, {@value #FC1}, {@value #FC2}, {@value #FINAL_ADALN},
 * {@value #FINAL_NORM}, {@value #FINAL_LINEAR}.
 */
public final class ParamCounter {

    public static final String PATCH_EMBED = FlopCounter.PATCH_EMBED;
    public static final String T_MLP = FlopCounter.T_MLP;
    public static final String LABEL_EMBED = "label_embed";
    public static final String ADALN = FlopCounter.ADALN;
    public static final String BLOCK_NORMS = "block_norms";
    public static final String QKV = FlopCounter.QKV;
    public static final String ATTN_PROJ = FlopCounter.ATTN_PROJ;
    public static final String CROSS_Q = FlopCounter.CROSS_Q;
    public static final String CROSS_KV = FlopCounter.CROSS_KV;
    public static final String CROSS_PROJ = FlopCounter.CROSS_PROJ;
    public static final String FC1 = FlopCounter.FC1;
    public static final String FC2 = FlopCounter.FC2;
    public static final String FINAL_ADALN = FlopCounter.FINAL_ADALN;
    public static final String FINAL_NORM = "final_norm";
    public static final String FINAL_LINEAR = FlopCounter.FINAL_LINEAR;

    private ParamCounter() {
    }

    public static ParamCount count(DiTConfig c, Variant v) {
        long d = c.hidden();
        long n = c.depth();
        Map<String, Long> m = new LinkedHashMap<>();
        m.put(PATCH_EMBED, linear(c.patchDim(), d));                                // conv [D, C, p, p] + bias
        m.put(T_MLP, linear(FlopCounter.TIMESTEP_FEATURES, d) + linear(d, d));
        m.put(LABEL_EMBED, (c.numClasses() + 1L) * d);                              // + null class row
        switch (v) {
            case ADALN_ZERO -> m.put(ADALN, n * linear(d, 6 * d));
            case ADALN -> m.put(ADALN, n * linear(d, 4 * d));
            case IN_CONTEXT -> m.put(BLOCK_NORMS, n * 2 * affineNorm(d));          // norm1, norm2
            case CROSS_ATTENTION -> m.put(BLOCK_NORMS, n * 3 * affineNorm(d));     // norm1, norm2, norm3
        }
        m.put(QKV, n * linear(d, 3 * d));
        m.put(ATTN_PROJ, n * linear(d, d));
        if (v == Variant.CROSS_ATTENTION) {
            m.put(CROSS_Q, n * linear(d, d));
            m.put(CROSS_KV, n * linear(d, 2 * d));
            m.put(CROSS_PROJ, n * linear(d, d));
        }
        m.put(FC1, n * linear(d, c.mlpHidden()));
        m.put(FC2, n * linear(c.mlpHidden(), d));
        if (v == Variant.ADALN_ZERO || v == Variant.ADALN) {
            m.put(FINAL_ADALN, linear(d, 2 * d));
        } else {
            m.put(FINAL_NORM, affineNorm(d));
        }
        m.put(FINAL_LINEAR, linear(d, c.patchOutDim()));
        return new ParamCount(c, v, m);
    }

    /** Weight [out, in] and bias [out]. */
    private static long linear(long in, long out) {
        return Math.addExact(Math.multiplyExact(in, out), out);
    }

    /** Weight and bias over D. */
    private static long affineNorm(long d) {
        return 2 * d;
    }
}
