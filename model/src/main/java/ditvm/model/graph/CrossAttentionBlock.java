package ditvm.model.graph;

import ditvm.kernels.Gemm;

/**
 * Cross-attention conditioning: the block also attends to context = [t_emb, y_emb] [B, 2, D]:
 * <pre>
 *   x = x + Attn(LN1(x))                                                           [B, T, D]
 *   x = x + CrossAttn(LN2(x), context)   q = Linear(D->D)(x), [k | v] = Linear(D->2D)(context)
 *   x = x + MLP(LN3(x))                  LN1..3 affine, eps 1e-6
 * </pre>
 */
record CrossAttentionBlock() implements Block {

    @Override
    public void addTasks(ForwardBuilder b, int i, BlockBuffers t) {
        Shapes s = b.shapes();
        int rows = s.rows();
        String p = "blocks." + i + ".";
        b.layerNorm(p + "ln1", t.x(), t.h(), p + "norm1");
        b.selfAttention(p, t);
        b.gemm(p + "proj", t.att(), rows, b.linear(p + "attn.proj"), t.x(), Gemm.Epilogue.RESIDUAL);
        b.layerNorm(p + "ln2", t.x(), t.h(), p + "norm2");
        b.gemm(p + "cross_q", t.h(), rows, b.linear(p + "cross_attn.q"), t.att(), Gemm.Epilogue.NONE);
        b.gemm(p + "cross_kv", t.context(), 2 * s.batch(), b.linear(p + "cross_attn.kv"), t.kv(), Gemm.Epilogue.NONE);
        b.crossAttention(p + "cross_attn", t.att(), t.kv(), t.qkv());
        b.gemm(p + "cross_proj", t.qkv(), rows, b.linear(p + "cross_attn.proj"), t.x(), Gemm.Epilogue.RESIDUAL);
        b.layerNorm(p + "ln3", t.x(), t.h(), p + "norm3");
        b.gemm(p + "fc1", t.h(), rows, b.linear(p + "mlp.fc1"), t.mlp(), Gemm.Epilogue.GELU);
        b.gemm(p + "fc2", t.mlp(), rows, b.linear(p + "mlp.fc2"), t.x(), Gemm.Epilogue.RESIDUAL);
    }
}
