package ditvm.kernels;

import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;

/**
 * Multi-head cross-attention of T queries on S context tokens (cross_attention.cl):
 * {@code q [B, T, D], kv [B, S, 2D] (k | v per context token) -> out [B, T, D]},
 * {@code out = softmax(scale * q k^T) v} per (b, h), D = H*hd. Arguments: q, kv, out, B, T, S, H,
 * hd, scale.
 */
public final class CrossAttention extends SourceKernel {
    private static final int Q = 0, KV = 1, OUT = 2, B = 3, T = 4, S = 5, H = 6, HD = 7, SCALE = 8;

    CrossAttention() {
        super("cross_attention", "cross_attention.cl",
                Param.floats("q", a -> (long) a.i(B) * a.i(T) * d(a)),
                Param.floats("kv", a -> (long) a.i(B) * a.i(S) * 2 * d(a)),
                Param.floats("out", a -> (long) a.i(B) * a.i(T) * d(a)),
                Param.i32("B"), Param.i32("T"), Param.i32("S"), Param.i32("H"), Param.i32("hd"), Param.f32("scale"));
    }

    private static long d(Args a) {
        return (long) a.i(H) * a.i(HD);
    }

    @Override
    public void checkShapes(Args a) {
        positive("B", a.i(B), "T", a.i(T), "S", a.i(S), "H", a.i(H), "hd", a.i(HD));
        intRange("q", (long) a.i(B) * a.i(T) * d(a));
        intRange("kv", (long) a.i(B) * a.i(S) * 2 * d(a));
        require(Float.isFinite(a.f(SCALE)), "scale must be finite, given " + a.f(SCALE));
    }

    @Override
    public Launch launch(Args a) {
        return Launch.grid(new long[] {(long) a.i(B) * a.i(T) * a.i(H)}, new long[] {64});
    }

    @Override
    public Cost cost(Args a) {
        long bt = (long) a.i(B) * a.i(T);
        return new Cost(bt * a.i(S) * d(a) * 2, 0, 4 * (bt * d(a) + (long) a.i(B) * a.i(S) * 2 * d(a)), 4 * bt * d(a));
    }

    /** Units are (b, t, h), numbered (b * T + t) * H + h. */
    @Override
    public long parallelism(Args a) {
        return (long) a.i(B) * a.i(T) * a.i(H);
    }

    @Override
    public void reference(Args a, long from, long to) {
        FloatArray q = a.floats(Q), kv = a.floats(KV), out = a.floats(OUT);
        int tt = a.i(T), ss = a.i(S), heads = a.i(H), hd = a.i(HD);
        float scale = a.f(SCALE);
        long d = d(a);
        float[] s = new float[ss], acc = new float[hd];
        for (long u = from; u < to; u++) {
            int h = (int) (u % heads);
            long bt = u / heads, b = bt / tt;
            long qo = bt * d + (long) h * hd;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < ss; j++) {
                long ko = (b * ss + j) * 2 * d + (long) h * hd;
                float dot = 0;
                for (int i = 0; i < hd; i++) {
                    dot += q.get(qo + i) * kv.get(ko + i);
                }
                s[j] = dot * scale;
                max = Math.max(max, s[j]);
            }
            java.util.Arrays.fill(acc, 0);
            float sum = 0;
            for (int j = 0; j < ss; j++) {
                long vo = (b * ss + j) * 2 * d + d + (long) h * hd;
                float p = (float) Math.exp(s[j] - max);
                sum += p;
                for (int i = 0; i < hd; i++) {
                    acc[i] += p * kv.get(vo + i);
                }
            }
            for (int i = 0; i < hd; i++) {
                out.set(qo + i, acc[i] / sum);
            }
        }
    }
}
