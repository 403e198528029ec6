package ditvm.model.graph;

import ditvm.kernels.Gemm;

/**
 * In-context conditioning: a standard pre-LN ViT block over the T image tokens plus the two
 * condition tokens [t_emb, y_emb] (appended before the first block, dropped after the last):
 * <pre>
 *   x = x + Attn(LN1(x))                                                           [B, T+2, D]
 *   x = x + MLP(LN2(x))          LN1, LN2 affine, eps 1e-6
 * </pre>
 */
record InContextBlock() implements Block {

    @Override
    public void addTasks(ForwardBuilder b, int i, BlockBuffers t) {
        int rows = b.shapes().rows();
        String p = "blocks." + i + ".";
        b.layerNorm(p + "ln1", t.x(), t.h(), p + "norm1");
        b.selfAttention(p, t);
        b.gemm(p + "proj", t.att(), rows, b.linear(p + "attn.proj"), t.x(), Gemm.Epilogue.RESIDUAL);
        b.layerNorm(p + "ln2", t.x(), t.h(), p + "norm2");
        b.gemm(p + "fc1", t.h(), rows, b.linear(p + "mlp.fc1"), t.mlp(), Gemm.Epilogue.GELU);
        b.gemm(p + "fc2", t.mlp(), rows, b.linear(p + "mlp.fc2"), t.x(), Gemm.Epilogue.RESIDUAL);
    }
}
