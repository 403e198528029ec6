package ditvm.kernels;

import ditvm.api.Float16;
import ditvm.api.KernelContext;
import ditvm.api.KernelMath;
import ditvm.jit.JavaOp;
import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;
import java.util.List;

/**
 * Multi-head self-attention on the packed qkv linear output, written in Java:
 * {@code qkv [B, T, 3, H, hd] -> out [B, T, D]}, D = H*hd, heads concatenated (head h at
 * columns h*hd ..), {@code out[b, t, h] = softmax_j(scale * q[b,t,h] . k[b,j,h]) v[b,j,h]} per
 * (b, h) with a numerically safe online softmax (running max and sum per query, the accumulator
 * rescaled once per key block), so scores of any size stay finite; scale is 1/sqrt(hd) in DiT.
 * Arguments: qkv, out, B, T, H, hd, scale. Any T >= 1, 1 <= hd <= {@value #MAX_HEAD_DIM}.
 *
 * <p>Two shapes with one contract:
 * <ul>
 *   <li>{@link #portable()}, {@link #attention} (GPUs, any device): a work-group of {@value #AQ}
 *       work-items takes {@value #AQ} queries of one (b, h); work-item = one query, its q and
 *       output accumulator in private arrays. Keys and values go through local memory in tiles of
 *       {@value #AK} keys.</li>
 *   <li>{@link #cpu()}, {@link #attentionCpu} (PoCL / CPU OpenCL devices, and the java device):
 *       one work-item (work-group of one, so PoCL runs no work-item loops) per (b, h, block of
 *       {@value #CPU_QUERIES} queries), everything vectorised ACROSS the queries of the block (two
 *       Float16 halves), which needs no horizontal sums and no transposes in the inner loops:
 *       <pre>
 *   qt[d]  = 2 Float16 of q[q0 .. q0+31][d] * scale   (transposed once, private)
 *   s_j    = sum_d qt[d] * k[j][d]                    (KB=8 keys at a time: 16 Float16 FMA chains)
 *   online softmax per query lane: m, l Float16 x 2, p_j = exp(s_j - m)
 *   ot[d]  = ot[d] * corr + sum_j p_j * v[j][d]       (k, v elements broadcast from memory,
 *                                                      each feeding two FMAs)</pre>
 *       Tail keys of the last block are clamped in address and masked to -inf; tail queries are
 *       computed on zeros and not stored.</li>
 * </ul>
 *
 * <p>Versions, portable shape:
 *   v1  attention.cl: query per work-item, K/V tiles in local memory, online softmax per tile.
 *       PoCL, B=8 H=6 T=256 hd=64: 84 ms = 9.5 GFLOP/s (PoCL runs the inner loops scalar);
 *       on CPUs use the CPU shape, 9x faster there.
 *   v2  (this) the same shape in Java through the JIT; the dot and accumulate are explicit fmas.
 *
 * <p>Versions, CPU shape:
 *   v1  attention_cpu.cl: work-item per 16-query block, vectorised across queries, 16-key blocks.
 *       PoCL, 2 cores AVX-512, B=8 H=6 T=256 hd=64: 9.1-9.7 ms = 83-87 GFLOP/s (4 T^2 hd flops
 *       per head), 9x attention.cl. native_exp instead of exp: +2-3%, not taken (accuracy is
 *       implementation-defined).
 *   v2  attention_cpu.cl: 32 queries x 8 keys per step: each broadcast k / v element feeds two FMAs
 *       (10 loads per 16 FMAs instead of 17 per 16), still 16 + 2 float16 live in the QK loop.
 *       Same machine and shape, same session: v1 9.45-9.53 ms (85 GFLOP/s), v2 6.71-6.83 ms
 *       (118-120 GFLOP/s), +40%; GEMM 2048x1152x384 then ran 235-258 GFLOP/s.
 *   v3  v2's shape in Java through the JIT: the 8 keys' score vectors are named locals
 *       (sa0..sa7, sb0..sb7), the running max is Float16.max (Java's NaN rules); builds for CUDA too
 *       (vectors as structs of floats there). On a 2-core AVX-512 EPYC (Zen 5) after the JIT's row
 *       pointers: B=8 H=6 T=256 hd=64 at 180 GFLOP/s, B=4 T=1024 at 218, 1.9-2.1x v2 there.
 *   v4  (this) the max and the sums of the 8 keys as trees, the accumulation in two FMA chains per
 *       query half instead of one of 8: T=1024 239 GFLOP/s (1.05-1.10x), T=256 unchanged
 *       (medians of interleaved runs). Where v4's time goes at T=256 (perf): scores 30%,
 *       accumulate 35%, the rest 35% (softmax; the q transpose, gathers, 9%; zeroing the
 *       private tiles 2%). Removing the exps does not make it faster: the softmax's latency
 *       between scores and accumulate, not its work, is what costs.
 *   tried, not kept (2-core Xeon with AVX-512, PoCL; B=4 T=1024 at ~260 GFLOP/s against the (8 x 32) GEMM's
 *       ~385 there; perf: scores 36%, accumulate 40%, softmax and the rest 24%): the scores of a chunk of 32-256
 *       keys kept whole in a private array, its max (as trees) and exps as plain loops once per chunk, and the
 *       accumulate holding sixteen accumulators over the chunk's keys 8 values of d at a time (ot touched once
 *       per chunk, no rescale per step). Medians of 8 interleaved runs against v4: T=1024 1.01x, T=1026 1.04x,
 *       T=256 0.98x, B=1 H=16 T=258 hd=72 0.98x: within the machine's noise, so v4 stays.
 */
public final class Attention extends JavaOp {
    /** Largest head dimension the kernels' private arrays hold. */
    public static final int MAX_HEAD_DIM = 128;
    static final int HDMAX = MAX_HEAD_DIM;
    /** Queries per work-group of the portable shape. */
    static final int AQ = 64;
    /** Keys per local-memory tile of the portable shape. */
    static final int AK = 32;
    /** Queries per work-item of the CPU shape. */
    static final int CPU_QUERIES = 32;
    static final int QB = CPU_QUERIES;
    /** Keys per step of the CPU shape (the named score locals sa0..sa7, sb0..sb7). */
    static final int KB = 8;
    private static final int B = 2, T = 3, H = 4, HD = 5, SCALE = 6; // argument indices (qkv, out, B, T, H, hd, scale)
    private static final List<Param> PARAMS = List.of(
            Param.floats("qkv", a -> tokens(a) * 3 * d(a)),
            Param.floats("out", a -> tokens(a) * d(a)),
            Param.i32("B"), Param.i32("T"), Param.i32("H"), Param.i32("hd"), Param.f32("scale"));

    private final boolean cpu;

    private Attention(String name, String method, boolean cpu) {
        super(Attention.class, method, name, PARAMS);
        this.cpu = cpu;
    }

    /** Work-group of 64 queries of one (b, h), K/V tiles in local memory. */
    static Attention portable() {
        return new Attention("attention", "attention", false);
    }

    /** Work-item per 32 queries of one (b, h), vectorised across queries; CPU devices. */
    static Attention cpu() {
        return new Attention("attention_cpu", "attentionCpu", true);
    }

    // ---------------------------------------------------------------- kernel: portable shape

    public static void attention(KernelContext ctx, FloatArray qkv, FloatArray out, int B, int T, int H, int hd,
                                 float scale) {
        float[] ks = ctx.allocateFloatLocalArray(AK * HDMAX); // ks[j * hd + d]: key k0 + j
        float[] vs = ctx.allocateFloatLocalArray(AK * HDMAX);
        int lid = ctx.localIdx;
        int qi = ctx.groupIdx * AQ + lid;
        int b = ctx.groupIdy / H;
        int h = ctx.groupIdy % H;
        int D = H * hd;
        int rs = 3 * D; // elements per token row of qkv
        long base = (long) b * T * rs + (long) h * hd;
        boolean valid = qi < T;

        float[] q = new float[HDMAX];
        float[] acc = new float[HDMAX];
        float[] s = new float[AK];
        if (valid) {
            for (int d = 0; d < hd; d++) {
                q[d] = qkv.get(base + (long) qi * rs + d) * scale;
            }
        }
        float m = -3.0e38f; // running max of scores; exp(m - anything finite) underflows to 0
        float l = 0f;       // running sum of exp(score - m)

        for (int k0 = 0; k0 < T; k0 += AK) {
            int nk = Math.min(AK, T - k0);
            for (int e = lid; e < nk * hd; e += AQ) {
                int j = e / hd;
                int d = e - j * hd;
                long row = base + (long) (k0 + j) * rs;
                ks[j * hd + d] = qkv.get(row + D + d);
                vs[j * hd + d] = qkv.get(row + 2 * D + d);
            }
            ctx.localBarrier();
            float mt = m;
            for (int j = 0; j < nk; j++) {
                float dot = 0f;
                for (int d = 0; d < hd; d++) {
                    dot = KernelMath.fma(q[d], ks[j * hd + d], dot);
                }
                s[j] = dot;
                mt = Math.max(mt, dot);
            }
            float corr = KernelMath.exp(m - mt);
            l *= corr;
            for (int d = 0; d < hd; d++) {
                acc[d] *= corr;
            }
            for (int j = 0; j < nk; j++) {
                float p = KernelMath.exp(s[j] - mt);
                l += p;
                for (int d = 0; d < hd; d++) {
                    acc[d] = KernelMath.fma(p, vs[j * hd + d], acc[d]);
                }
            }
            m = mt;
            ctx.localBarrier(); // the tile is read by all before the next one overwrites it
        }
        if (valid) {
            long o = ((long) b * T + qi) * D + (long) h * hd;
            float inv = 1f / l;
            for (int d = 0; d < hd; d++) {
                out.set(o + d, acc[d] * inv);
            }
        }
    }

    // ---------------------------------------------------------------- kernel: CPU shape

    public static void attentionCpu(KernelContext ctx, FloatArray qkv, FloatArray out, int B, int T, int H, int hd,
                                    float scale) {
        int qblocks = (T + QB - 1) / QB;
        int gid = ctx.globalIdx;
        int q0 = gid % qblocks * QB;
        int b = gid / qblocks / H;
        int h = gid / qblocks % H;
        int D = H * hd;
        int rs = 3 * D;
        long base = (long) b * T * rs + (long) h * hd;

        float[] qt = new float[HDMAX * QB]; // qt[d * QB + i] = q[q0 + i][d] * scale
        float[] ot = new float[HDMAX * QB]; // ot[d * QB + i]: output accumulator of query q0 + i
        for (int d = 0; d < hd; d++) {
            for (int i = 0; i < QB; i++) {
                qt[d * QB + i] = q0 + i < T ? qkv.get(base + (long) (q0 + i) * rs + d) * scale : 0f;
            }
        }
        Float16 zero = Float16.broadcast(0f);
        Float16 ma = Float16.broadcast(Float.NEGATIVE_INFINITY), mb = ma; // running max, queries 0-15 and 16-31
        Float16 la = zero, lb = zero;                                     // running sum of exp(s - m)

        float[] st = new float[KB * QB]; // st[j * QB + i]: score, then weight, of key k0 + j for query q0 + i
        for (int k0 = 0; k0 < T; k0 += KB) {
            scores(qkv, qt, st, base, k0, T, rs, D, hd);
            // scores of key k0 + j: saj for queries 0-15, sbj for 16-31; keys past T weigh nothing
            Float16 sa0 = Float16.load(st, 0), sb0 = Float16.load(st, 16); // key k0 itself is < T
            Float16 sa1 = scoreOfKey(st, QB, k0 + 1, T), sb1 = scoreOfKey(st, QB + 16, k0 + 1, T);
            Float16 sa2 = scoreOfKey(st, 2 * QB, k0 + 2, T), sb2 = scoreOfKey(st, 2 * QB + 16, k0 + 2, T);
            Float16 sa3 = scoreOfKey(st, 3 * QB, k0 + 3, T), sb3 = scoreOfKey(st, 3 * QB + 16, k0 + 3, T);
            Float16 sa4 = scoreOfKey(st, 4 * QB, k0 + 4, T), sb4 = scoreOfKey(st, 4 * QB + 16, k0 + 4, T);
            Float16 sa5 = scoreOfKey(st, 5 * QB, k0 + 5, T), sb5 = scoreOfKey(st, 5 * QB + 16, k0 + 5, T);
            Float16 sa6 = scoreOfKey(st, 6 * QB, k0 + 6, T), sb6 = scoreOfKey(st, 6 * QB + 16, k0 + 6, T);
            Float16 sa7 = scoreOfKey(st, 7 * QB, k0 + 7, T), sb7 = scoreOfKey(st, 7 * QB + 16, k0 + 7, T);
            // max and sums as trees (depth 3-4, not chains of 8): max is the same in any order
            Float16 mta = ma.max(sa0.max(sa1).max(sa2.max(sa3)).max(sa4.max(sa5).max(sa6.max(sa7))));
            Float16 mtb = mb.max(sb0.max(sb1).max(sb2.max(sb3)).max(sb4.max(sb5).max(sb6.max(sb7))));
            Float16 ca = Float16.exp(ma.sub(mta)); // rescales what was summed under the old max
            Float16 cb = Float16.exp(mb.sub(mtb));
            sa0 = Float16.exp(sa0.sub(mta));
            sa1 = Float16.exp(sa1.sub(mta));
            sa2 = Float16.exp(sa2.sub(mta));
            sa3 = Float16.exp(sa3.sub(mta));
            sa4 = Float16.exp(sa4.sub(mta));
            sa5 = Float16.exp(sa5.sub(mta));
            sa6 = Float16.exp(sa6.sub(mta));
            sa7 = Float16.exp(sa7.sub(mta));
            sb0 = Float16.exp(sb0.sub(mtb));
            sb1 = Float16.exp(sb1.sub(mtb));
            sb2 = Float16.exp(sb2.sub(mtb));
            sb3 = Float16.exp(sb3.sub(mtb));
            sb4 = Float16.exp(sb4.sub(mtb));
            sb5 = Float16.exp(sb5.sub(mtb));
            sb6 = Float16.exp(sb6.sub(mtb));
            sb7 = Float16.exp(sb7.sub(mtb));
            la = la.mul(ca).add(sa0.add(sa1).add(sa2.add(sa3)).add(sa4.add(sa5).add(sa6.add(sa7))));
            lb = lb.mul(cb).add(sb0.add(sb1).add(sb2.add(sb3)).add(sb4.add(sb5).add(sb6.add(sb7))));
            ma = mta;
            mb = mtb;
            accumulate(qkv, ot, ca, cb, base, k0, T, rs, D, hd, sa0, sa1, sa2, sa3, sa4, sa5, sa6, sa7,
                    sb0, sb1, sb2, sb3, sb4, sb5, sb6, sb7);
        }

        float[] lt = new float[QB];
        la.store(lt, 0);
        lb.store(lt, 16);
        for (int i = 0; i < QB && q0 + i < T; i++) {
            long o = ((long) b * T + q0 + i) * D + (long) h * hd;
            float inv = 1f / lt[i];
            for (int d = 0; d < hd; d++) {
                out.set(o + d, ot[d * QB + i] * inv);
            }
        }
    }

    /** Column {@code column} of key {@code key}'s row of qkv (D: its k, 2D: its v), the key clamped to the last (masked by the caller). */
    private static long keyRow(long base, int key, int T, int rs, int column) {
        return base + (long) Math.min(key, T - 1) * rs + column;
    }

    /**
     * The scores of keys k0 .. k0+7 against the block's 32 queries: st[j * QB + i] = sum_d qt[d * QB + i]
     * k_{k0+j}[d], in 16 Float16 FMA chains. A method of its own (as is {@link #accumulate}) so that the
     * JVM's compiler inlines its vector operations whole (the java device); the C compilers inline it.
     */
    private static void scores(FloatArray qkv, float[] qt, float[] st, long base, int k0, int T, int rs, int D, int hd) {
        long r0 = keyRow(base, k0, T, rs, D), r1 = keyRow(base, k0 + 1, T, rs, D);
        long r2 = keyRow(base, k0 + 2, T, rs, D), r3 = keyRow(base, k0 + 3, T, rs, D);
        long r4 = keyRow(base, k0 + 4, T, rs, D), r5 = keyRow(base, k0 + 5, T, rs, D);
        long r6 = keyRow(base, k0 + 6, T, rs, D), r7 = keyRow(base, k0 + 7, T, rs, D);
        Float16 zero = Float16.broadcast(0f);
        Float16 sa0 = zero, sa1 = zero, sa2 = zero, sa3 = zero, sa4 = zero, sa5 = zero, sa6 = zero, sa7 = zero;
        Float16 sb0 = zero, sb1 = zero, sb2 = zero, sb3 = zero, sb4 = zero, sb5 = zero, sb6 = zero, sb7 = zero;
        for (int d = 0; d < hd; d++) {
            Float16 qa = Float16.load(qt, d * QB);
            Float16 qb = Float16.load(qt, d * QB + 16);
            Float16 k = Float16.broadcast(qkv.get(r0 + d));
            sa0 = qa.fma(k, sa0);
            sb0 = qb.fma(k, sb0);
            k = Float16.broadcast(qkv.get(r1 + d));
            sa1 = qa.fma(k, sa1);
            sb1 = qb.fma(k, sb1);
            k = Float16.broadcast(qkv.get(r2 + d));
            sa2 = qa.fma(k, sa2);
            sb2 = qb.fma(k, sb2);
            k = Float16.broadcast(qkv.get(r3 + d));
            sa3 = qa.fma(k, sa3);
            sb3 = qb.fma(k, sb3);
            k = Float16.broadcast(qkv.get(r4 + d));
            sa4 = qa.fma(k, sa4);
            sb4 = qb.fma(k, sb4);
            k = Float16.broadcast(qkv.get(r5 + d));
            sa5 = qa.fma(k, sa5);
            sb5 = qb.fma(k, sb5);
            k = Float16.broadcast(qkv.get(r6 + d));
            sa6 = qa.fma(k, sa6);
            sb6 = qb.fma(k, sb6);
            k = Float16.broadcast(qkv.get(r7 + d));
            sa7 = qa.fma(k, sa7);
            sb7 = qb.fma(k, sb7);
        }
        sa0.store(st, 0);
        sb0.store(st, 16);
        sa1.store(st, QB);
        sb1.store(st, QB + 16);
        sa2.store(st, 2 * QB);
        sb2.store(st, 2 * QB + 16);
        sa3.store(st, 3 * QB);
        sb3.store(st, 3 * QB + 16);
        sa4.store(st, 4 * QB);
        sb4.store(st, 4 * QB + 16);
        sa5.store(st, 5 * QB);
        sb5.store(st, 5 * QB + 16);
        sa6.store(st, 6 * QB);
        sb6.store(st, 6 * QB + 16);
        sa7.store(st, 7 * QB);
        sb7.store(st, 7 * QB + 16);
    }

    /** ot[d] = ot[d] * c + sum_j p_j v_{k0+j}[d] for both query halves (pa*, pb*: the weights of keys k0 + j). */
    private static void accumulate(FloatArray qkv, float[] ot, Float16 ca, Float16 cb, long base, int k0, int T, int rs,
                                   int D, int hd, Float16 pa0, Float16 pa1, Float16 pa2, Float16 pa3, Float16 pa4,
                                   Float16 pa5, Float16 pa6, Float16 pa7, Float16 pb0, Float16 pb1, Float16 pb2,
                                   Float16 pb3, Float16 pb4, Float16 pb5, Float16 pb6, Float16 pb7) {
        int vOff = 2 * D;
        long r0 = keyRow(base, k0, T, rs, vOff), r1 = keyRow(base, k0 + 1, T, rs, vOff);
        long r2 = keyRow(base, k0 + 2, T, rs, vOff), r3 = keyRow(base, k0 + 3, T, rs, vOff);
        long r4 = keyRow(base, k0 + 4, T, rs, vOff), r5 = keyRow(base, k0 + 5, T, rs, vOff);
        long r6 = keyRow(base, k0 + 6, T, rs, vOff), r7 = keyRow(base, k0 + 7, T, rs, vOff);
        for (int d = 0; d < hd; d++) {
            // two FMA chains per query half (even keys onto the rescaled accumulator, odd keys apart), added at the end
            Float16 v = Float16.broadcast(qkv.get(r0 + d));
            Float16 oa = pa0.fma(v, Float16.load(ot, d * QB).mul(ca));
            Float16 ob = pb0.fma(v, Float16.load(ot, d * QB + 16).mul(cb));
            v = Float16.broadcast(qkv.get(r1 + d));
            Float16 oa1 = pa1.mul(v);
            Float16 ob1 = pb1.mul(v);
            v = Float16.broadcast(qkv.get(r2 + d));
            oa = pa2.fma(v, oa);
            ob = pb2.fma(v, ob);
            v = Float16.broadcast(qkv.get(r3 + d));
            oa1 = pa3.fma(v, oa1);
            ob1 = pb3.fma(v, ob1);
            v = Float16.broadcast(qkv.get(r4 + d));
            oa = pa4.fma(v, oa);
            ob = pb4.fma(v, ob);
            v = Float16.broadcast(qkv.get(r5 + d));
            oa1 = pa5.fma(v, oa1);
            ob1 = pb5.fma(v, ob1);
            v = Float16.broadcast(qkv.get(r6 + d));
            oa = pa6.fma(v, oa);
            ob = pb6.fma(v, ob);
            v = Float16.broadcast(qkv.get(r7 + d));
            oa1 = pa7.fma(v, oa1);
            ob1 = pb7.fma(v, ob1);
            oa.add(oa1).store(ot, d * QB);
            ob.add(ob1).store(ot, d * QB + 16);
        }
    }

    /** The scores st[at .. at + 16) of key {@code key}, or -inf (exp gives 0) for a key past the last. */
    private static Float16 scoreOfKey(float[] st, int at, int key, int T) {
        if (key < T) {
            return Float16.load(st, at);
        }
        return Float16.broadcast(Float.NEGATIVE_INFINITY);
    }

    // ---------------------------------------------------------------- descriptor

    private static long tokens(Args a) {
        return (long) a.i(B) * a.i(T);
    }

    private static long d(Args a) {
        return (long) a.i(H) * a.i(HD);
    }

    @Override
    public void checkShapes(Args a) {
        Shapes.positive("B", a.i(B), "T", a.i(T), "H", a.i(H), "hd", a.i(HD));
        Shapes.require(a.i(HD) <= MAX_HEAD_DIM, "head dim hd = " + a.i(HD) + " exceeds the kernel's maximum " + MAX_HEAD_DIM);
        Shapes.intRange("qkv", tokens(a) * 3 * d(a));
        Shapes.require(Float.isFinite(a.f(SCALE)), "scale must be finite, given " + a.f(SCALE));
    }

    @Override
    public Launch launch(Args a) {
        long bh = (long) a.i(B) * a.i(H);
        if (cpu) {
            return new Launch(new long[] {bh * Launch.ceilDiv(a.i(T), CPU_QUERIES)}, new long[] {1});
        }
        return new Launch(new long[] {Launch.ceilDiv(a.i(T), AQ) * AQ, bh}, new long[] {AQ, 1});
    }

    @Override
    public Cost cost(Args a) {
        long t = a.i(T);
        long macs = (long) a.i(B) * a.i(H) * t * t * a.i(HD) * 2;
        return new Cost(macs, 0, 4 * tokens(a) * 3 * d(a), 4 * tokens(a) * d(a));
    }
}
