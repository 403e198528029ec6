package ditvm.kernels;

import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;

/**
 * Seeded N(0, 1) noise from Philox4x32-10 (philox_normal.cl): {@code out [n]}, element e from key
 * (seedLo, seedHi) and counter (e, stream[0] + streamOffset, 0, 0) by Box-Muller on the first two
 * words. Counter-based, so the same seed gives the same noise on every device, in any order of
 * work-items. Arguments: out, n, seedLo, seedHi, stream [1], streamOffset.
 */
public final class PhiloxNormal extends SourceKernel {
    static final int M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    PhiloxNormal() {
        super("philox_normal", "philox_normal.cl",
                Param.floats("out", a -> a.i(1)), Param.i32("n"), Param.i32("seedLo"), Param.i32("seedHi"),
                Param.ints("stream", a -> 1), Param.i32("streamOffset"));
    }

    @Override
    public void checkShapes(Args a) {
        positive("n", a.i(1));
    }

    @Override
    public Launch launch(Args a) {
        return perElement(a.i(1));
    }

    @Override
    public Cost cost(Args a) {
        return Cost.memory(4, 4L * a.i(1));
    }

    @Override
    public long parallelism(Args a) {
        return a.i(1);
    }

    @Override
    public void reference(Args a, long from, long to) {
        FloatArray out = a.floats(0);
        IntArray stream = a.ints(4);
        int s = stream.get(0) + a.i(5);
        for (long e = from; e < to; e++) {
            out.set(e, normal(a.i(2), a.i(3), (int) e, s));
        }
    }

    /** The Philox4x32-10 words (c0, c1) for key (k0, k1) and counter (e, s, 0, 0), as in philox_normal.cl. */
    static int[] philox(int k0, int k1, int e, int s) {
        return philox(k0, k1, new int[] {e, s, 0, 0});
    }

    /** Philox4x32-10 of {@code counter} [4] under key (k0, k1). */
    static int[] philox(int k0, int k1, int[] counter) {
        int c0 = counter[0], c1 = counter[1], c2 = counter[2], c3 = counter[3];
        for (int round = 0; round < 10; round++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int hi0 = (int) (p0 >>> 32), lo0 = (int) p0, hi1 = (int) (p1 >>> 32), lo1 = (int) p1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
            k0 += W0;
            k1 += W1;
        }
        return new int[] {c0, c1, c2, c3};
    }

    /** One standard normal value, as the kernel computes it (float arithmetic). */
    public static float normal(int seedLo, int seedHi, int e, int stream) {
        int[] w = philox(seedLo, seedHi, e, stream);
        float u1 = (float) ((w[0] >>> 8) | 1) * (1.0f / 16777216.0f);
        float u2 = (float) (w[1] >>> 8) * (1.0f / 16777216.0f);
        return (float) Math.sqrt(-2.0f * (float) Math.log(u1)) * (float) Math.cos(6.2831855f * u2);
    }
}
