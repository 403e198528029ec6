package ditvm.model.weights;

import ditvm.model.DiTConfig;
import ditvm.model.Variant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every trainable tensor of a DiT variant: its official state_dict name, shape and official
 * initialisation (dit-spec.md sections 2 and 3). The one place that knows the names; init,
 * loading and saving all go through it. The fixed {@code pos_embed} is not here: it is
 * computed ({@link PositionEmbedding}) and accepted, but not required, in a weights file.
 */
public final class WeightSpec {

    /** How a tensor is initialised (the official DiT rules). */
    public enum Init {
        /** xavier-uniform on the [out, in] view: U(-a, a), a = sqrt(6 / (fan_in + fan_out)) */
        XAVIER,
        /** N(0, 0.02) */
        NORMAL_002,
        ZERO,
        ONE
    }

    public record Tensor(String name, long[] shape, Init init) {
        public long elements() {
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            return n;
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape);
        }
    }

    public static final String POS_EMBED = "pos_embed";

    private final Map<String, Tensor> tensors;

    private WeightSpec(List<Tensor> list) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        list.forEach(t -> m.put(t.name(), t));
        this.tensors = java.util.Collections.unmodifiableMap(m);
    }

    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no weight '" + name + "' in this model");
        }
        return t;
    }

    /** Total trainable parameters (pos_embed excluded). */
    public long parameters() {
        return tensors.values().stream().mapToLong(Tensor::elements).sum();
    }

    public static WeightSpec of(DiTConfig c, Variant v) {
        long d = c.hidden();
        List<Tensor> t = new ArrayList<>();
        t.add(new Tensor("x_embedder.proj.weight", new long[] {d, c.inChannels(), c.patch(), c.patch()}, Init.XAVIER));
        t.add(new Tensor("x_embedder.proj.bias", new long[] {d}, Init.ZERO));
        linear(t, "t_embedder.mlp.0", 256, d, Init.NORMAL_002);
        linear(t, "t_embedder.mlp.2", d, d, Init.NORMAL_002);
        t.add(new Tensor("y_embedder.embedding_table.weight", new long[] {c.numClasses() + 1L, d}, Init.NORMAL_002));
        for (int i = 0; i < c.depth(); i++) {
            String b = "blocks." + i + ".";
            switch (v) {
                case ADALN_ZERO -> linear(t, b + "adaLN_modulation.1", d, 6 * d, Init.ZERO);
                case ADALN -> linear(t, b + "adaLN_modulation.1", d, 4 * d, Init.XAVIER);
                case IN_CONTEXT -> {
                    norm(t, b + "norm1", d);
                    norm(t, b + "norm2", d);
                }
                case CROSS_ATTENTION -> {
                    norm(t, b + "norm1", d);
                    norm(t, b + "norm2", d);
                    norm(t, b + "norm3", d);
                }
            }
            linear(t, b + "attn.qkv", d, 3 * d, Init.XAVIER);
            linear(t, b + "attn.proj", d, d, Init.XAVIER);
            if (v == Variant.CROSS_ATTENTION) {
                linear(t, b + "cross_attn.q", d, d, Init.XAVIER);
                linear(t, b + "cross_attn.kv", d, 2 * d, Init.XAVIER);
                linear(t, b + "cross_attn.proj", d, d, Init.XAVIER);
            }
            linear(t, b + "mlp.fc1", d, c.mlpHidden(), Init.XAVIER);
            linear(t, b + "mlp.fc2", c.mlpHidden(), d, Init.XAVIER);
        }
        if (v.usesAdaLn()) {
            linear(t, "final_layer.adaLN_modulation.1", d, 2 * d, Init.ZERO);
        } else {
            norm(t, "final_layer.norm_final", d);
        }
        linear(t, "final_layer.linear", d, c.patchOutDim(), Init.ZERO);
        return new WeightSpec(t);
    }

    /** A Linear(in -> out): weight [out, in] and bias [out]; biases start at zero. */
    private static void linear(List<Tensor> t, String prefix, long in, long out, Init weightInit) {
        t.add(new Tensor(prefix + ".weight", new long[] {out, in}, weightInit));
        t.add(new Tensor(prefix + ".bias", new long[] {out}, Init.ZERO));
    }

    /** An affine LayerNorm: weight 1, bias 0. */
    private static void norm(List<Tensor> t, String prefix, long d) {
        t.add(new Tensor(prefix + ".weight", new long[] {d}, Init.ONE));
        t.add(new Tensor(prefix + ".bias", new long[] {d}, Init.ZERO));
    }
}
