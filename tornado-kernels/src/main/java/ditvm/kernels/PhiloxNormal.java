package ditvm.kernels;

import ditvm.api.KernelContext;
import ditvm.api.KernelMath;
import ditvm.jit.JavaOp;
import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;
import java.util.List;

/**
 * Seeded standard normal noise from a counter-based generator (Philox4x32-10, Salmon et al. 2011):
 * {@code out [n]}: {@code out[e] = sqrt(-2 ln u1) cos(2 pi u2)}, (u1, u2) from the first two words of
 * Philox4x32-10 with key (seedLo, seedHi) and counter (e, stream[0] + streamOffset, 0, 0);
 * u1 = ((w0 >>> 8) | 1) / 2^24 in (0, 1), u2 = (w1 >>> 8) / 2^24 in [0, 1). Counter-based, so the
 * same (seed, stream, e) gives the same value on every device, in any order of work-items; a sampler
 * reads the stream from its device step counter, so no host copy is needed per step.
 * Arguments: out, n, seedLo, seedHi, stream [1], streamOffset.
 *
 * <p>Versions:
 *   v1  C (philox_normal.cl), one work-item per element, two of Philox's four words used.
 *   v2  (this) the same in Java through the JIT: the unsigned 32 x 32 -> 64-bit products as long
 *       products of the zero-extended words.
 */
public final class PhiloxNormal extends JavaOp {
    /** Philox4x32's multipliers (as unsigned 32-bit values in a long) and Weyl key increments. */
    static final long M0 = 0xD2511F53L, M1 = 0xCD9E8D57L;
    static final int W0 = 0x9E3779B9, W1 = 0xBB67AE85;
    private static final long LOW32 = 0xFFFFFFFFL;

    private static final List<Param> PARAMS = List.of(
            Param.floats("out", a -> a.i(1)), Param.i32("n"), Param.i32("seedLo"), Param.i32("seedHi"),
            Param.ints("stream", a -> 1), Param.i32("streamOffset"));

    PhiloxNormal() {
        super(PhiloxNormal.class, "philoxNormal", "philox_normal", PARAMS);
    }

    @Override
    public void checkShapes(Args a) {
        Shapes.positive("n", a.i(1));
    }

    @Override
    public Launch launch(Args a) {
        return Shapes.perElement(a.i(1));
    }

    @Override
    public Cost cost(Args a) {
        return Cost.memory(4, 4L * a.i(1));
    }

    /**
     * out[e] = sqrt(-2 ln u1) cos(2 pi u2) from Philox4x32-10 of counter (e, stream[0] + streamOffset,
     * 0, 0) under key (seedLo, seedHi), float arithmetic; one work-item per element.
     */
    public static void philoxNormal(KernelContext ctx, FloatArray out, int n, int seedLo, int seedHi, IntArray stream,
                                    int streamOffset) {
        int e = ctx.globalIdx;
        if (e >= n) {
            return;
        }
        int c0 = e, c1 = stream.get(0) + streamOffset, c2 = 0, c3 = 0;
        int k0 = seedLo, k1 = seedHi;
        for (int round = 0; round < 10; round++) {
            long p0 = M0 * (c0 & LOW32);
            long p1 = M1 * (c2 & LOW32);
            int hi0 = (int) (p0 >>> 32), lo0 = (int) p0;
            int hi1 = (int) (p1 >>> 32), lo1 = (int) p1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
            k0 += W0;
            k1 += W1;
        }
        float u1 = (float) ((c0 >>> 8) | 1) * (1.0f / 16777216.0f);
        float u2 = (float) (c1 >>> 8) * (1.0f / 16777216.0f);
        out.set(e, KernelMath.sqrt(-2.0f * KernelMath.log(u1)) * KernelMath.cos(6.2831855f * u2));
    }
}
