package ditvm.model.graph;

import ditvm.kernels.Gemm;

/**
 * adaLN without gates (paper Figure 5):
 * <pre>
 *   shift1, scale1, shift2, scale2 = Linear(D -> 4D)(SiLU(c))                     mod [B, 4D]
 *   x = x + Attn(modulate(LN(x), shift1, scale1))                                  [B, T, D]
 *   x = x + MLP(modulate(LN(x), shift2, scale2))
 * </pre>
 */
record AdaLnBlock() implements Block {

    @Override
    public void addTasks(ForwardBuilder b, int i, BlockBuffers t) {
        int d = b.shapes().hidden();
        int rows = b.shapes().rows();
        String p = "blocks." + i + ".";
        b.gemm(p + "ada", t.condition(), b.shapes().batch(), b.linear(p + "adaLN_modulation.1"), t.mod(), Gemm.Epilogue.NONE);
        b.layerNormModulate(p + "ln1", t.x(), t.h(), t.mod(), 4 * d, 0, d);
        b.selfAttention(p, t);
        b.gemm(p + "proj", t.att(), rows, b.linear(p + "attn.proj"), t.x(), Gemm.Epilogue.RESIDUAL);
        b.layerNormModulate(p + "ln2", t.x(), t.h(), t.mod(), 4 * d, 2 * d, 3 * d);
        b.gemm(p + "fc1", t.h(), rows, b.linear(p + "mlp.fc1"), t.mlp(), Gemm.Epilogue.GELU);
        b.gemm(p + "fc2", t.mlp(), rows, b.linear(p + "mlp.fc2"), t.x(), Gemm.Epilogue.RESIDUAL);
    }
}
