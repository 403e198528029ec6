package ditvm.model.graph;

import ditvm.kernels.Gemm;

/**
 * The official DiT block:
 * <pre>
 *   shift1, scale1, gate1, shift2, scale2, gate2 = Linear(D -> 6D)(SiLU(c))       mod [B, 6D]
 *   x = x + gate1 * Attn(modulate(LN(x), shift1, scale1))                          [B, T, D]
 *   x = x + gate2 * MLP(modulate(LN(x), shift2, scale2))
 *
 *   SiLU(c) --ada--> mod
 *   x --ln1(mod 0, D)--> h --qkv--> qkv --attn--> att --proj(+ gate1 * .)--> x
 *   x --ln2(mod 3D, 4D)--> h --fc1+gelu--> mlp --fc2(+ gate2 * .)--> x
 * </pre>
 */
record AdaLnZeroBlock() implements Block {

    @Override
    public void addTasks(ForwardBuilder b, int i, BlockBuffers t) {
        int d = b.shapes().hidden();
        String p = "blocks." + i + ".";
        b.gemm(p + "ada", t.condition(), b.shapes().batch(), b.linear(p + "adaLN_modulation.1"), t.mod(), Gemm.Epilogue.NONE);
        b.layerNormModulate(p + "ln1", t.x(), t.h(), t.mod(), 6 * d, 0, d);
        b.selfAttention(p, t);
        b.gatedGemm(p + "proj", t.att(), b.linear(p + "attn.proj"), t.x(), t.mod(), 6 * d, 2 * d);
        b.layerNormModulate(p + "ln2", t.x(), t.h(), t.mod(), 6 * d, 3 * d, 4 * d);
        b.gemm(p + "fc1", t.h(), b.shapes().rows(), b.linear(p + "mlp.fc1"), t.mlp(), Gemm.Epilogue.GELU);
        b.gatedGemm(p + "fc2", t.mlp(), b.linear(p + "mlp.fc2"), t.x(), t.mod(), 6 * d, 5 * d);
    }
}
