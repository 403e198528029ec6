package ditvm.kernels;

import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;

/**
 * Multi-head self-attention on the packed qkv linear output:
 * {@code qkv [B, T, 3, H, hd] -> out [B, T, D]}, D = H*hd, heads concatenated,
 * {@code out = softmax(scale * q k^T) v} per (b, h) with a numerically safe online softmax;
 * scale is 1/sqrt(hd) in DiT. Arguments: qkv, out, B, T, H, hd, scale.
 *
 * <p>Two sources with one contract: {@link #portable()} (attention.cl, OpenCL and CUDA, for
 * GPUs) and {@link #cpu()} (attention_cpu.cl, OpenCL only, float16 vectors across 32 queries:
 * the fast one on PoCL / CPU OpenCL devices). Both need 1 <= hd <= 128.
 */
public final class Attention extends SourceKernel {
    /** Largest head dimension the kernels' private arrays hold (HDMAX in both sources). */
    public static final int MAX_HEAD_DIM = 128;
    private static final int QKV = 0, OUT = 1, B = 2, T = 3, H = 4, HD = 5, SCALE = 6;
    /** Queries per work-item of the CPU source; QB in attention_cpu.cl. */
    static final int CPU_QUERIES = 32;
    private final boolean cpu;

    private Attention(String name, boolean cpu) {
        super(name, name + ".cl",
                Param.floats("qkv", a -> tokens(a) * 3 * d(a)),
                Param.floats("out", a -> tokens(a) * d(a)),
                Param.i32("B"), Param.i32("T"), Param.i32("H"), Param.i32("hd"), Param.f32("scale"));
        this.cpu = cpu;
    }

    /** Work-group of 64 queries of one (b, h), K/V tiles in local memory. */
    static Attention portable() {
        return new Attention("attention", false);
    }

    /** Work-item per 32 queries of one (b, h), vectorised across queries; OpenCL CPU devices. */
    static Attention cpu() {
        return new Attention("attention_cpu", true);
    }

    private static long tokens(Args a) {
        return (long) a.i(B) * a.i(T);
    }

    private static long d(Args a) {
        return (long) a.i(H) * a.i(HD);
    }

    @Override
    public void checkShapes(Args a) {
        positive("B", a.i(B), "T", a.i(T), "H", a.i(H), "hd", a.i(HD));
        require(a.i(HD) <= MAX_HEAD_DIM, "head dim hd = " + a.i(HD) + " exceeds the kernel's maximum " + MAX_HEAD_DIM);
        intRange("qkv", tokens(a) * 3 * d(a));
        require(Float.isFinite(a.f(SCALE)), "scale must be finite, given " + a.f(SCALE));
    }

    @Override
    public Launch launch(Args a) {
        long bh = (long) a.i(B) * a.i(H);
        if (cpu) {
            return new Launch(new long[] {bh * Launch.ceilDiv(a.i(T), CPU_QUERIES)}, new long[] {1});
        }
        return new Launch(new long[] {Launch.ceilDiv(a.i(T), 64) * 64, bh}, new long[] {64, 1});
    }

    @Override
    public Cost cost(Args a) {
        long t = a.i(T);
        long macs = (long) a.i(B) * a.i(H) * t * t * a.i(HD) * 2;
        return new Cost(macs, 0, 4 * tokens(a) * 3 * d(a), 4 * tokens(a) * d(a));
    }

    /** Units are (b, h, query), numbered ((b * H) + h) * T + t. */
    @Override
    public long parallelism(Args a) {
        return tokens(a) * a.i(H);
    }

    @Override
    public void reference(Args a, long from, long to) {
        FloatArray qkv = a.floats(QKV), out = a.floats(OUT);
        int tt = a.i(T), heads = a.i(H), hd = a.i(HD);
        float scale = a.f(SCALE);
        long d = d(a), rs = 3 * d;
        float[] q = new float[hd], acc = new float[hd], s = new float[tt];
        for (long u = from; u < to; u++) {
            int t = (int) (u % tt);
            int h = (int) (u / tt % heads);
            long b = u / tt / heads;
            long base = b * tt * rs + (long) h * hd;
            for (int i = 0; i < hd; i++) {
                q[i] = qkv.get(base + t * rs + i) * scale;
            }
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < tt; j++) {
                float dot = 0;
                for (int i = 0; i < hd; i++) {
                    dot += q[i] * qkv.get(base + j * rs + d + i);
                }
                s[j] = dot;
                max = Math.max(max, dot);
            }
            java.util.Arrays.fill(acc, 0);
            float sum = 0;
            for (int j = 0; j < tt; j++) {
                float p = (float) Math.exp(s[j] - max);
                sum += p;
                for (int i = 0; i < hd; i++) {
                    acc[i] += p * qkv.get(base + j * rs + 2 * d + i);
                }
            }
            long o = (b * tt + t) * d + (long) h * hd;
            for (int i = 0; i < hd; i++) {
                out.set(o + i, acc[i] / sum);
            }
        }
    }
}
