package ditvm.kernels;

import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;

/**
 * Drops the two appended condition tokens (drop_tokens.cl): {@code x [B, T+2, D] -> out [B, T, D]},
 * the first T tokens of each sample. Arguments: x, out, B, T, D (T counts the kept tokens).
 */
public final class DropTokens extends SourceKernel {
    DropTokens() {
        super("drop_tokens", "drop_tokens.cl",
                Param.floats("x", a -> (long) a.i(2) * (a.i(3) + 2L) * a.i(4)),
                Param.floats("out", a -> (long) a.i(2) * a.i(3) * a.i(4)),
                Param.i32("B"), Param.i32("T"), Param.i32("D"));
    }

    @Override
    public void checkShapes(Args a) {
        positive("B", a.i(2), "T", a.i(3), "D", a.i(4));
        intRange("x", (long) a.i(2) * (a.i(3) + 2L) * a.i(4));
    }

    @Override
    public Launch launch(Args a) {
        return perElement((long) a.i(2) * a.i(3) * a.i(4));
    }

    @Override
    public Cost cost(Args a) {
        long n = (long) a.i(2) * a.i(3) * a.i(4);
        return Cost.memory(4 * n, 4 * n);
    }

    /** Units are output tokens b * T + t. */
    @Override
    public long parallelism(Args a) {
        return (long) a.i(2) * a.i(3);
    }

    @Override
    public void reference(Args a, long from, long to) {
        FloatArray x = a.floats(0), out = a.floats(1);
        int t = a.i(3), d = a.i(4);
        for (long u = from; u < to; u++) {
            long src = (u / t * (t + 2) + u % t) * d;
            for (int i = 0; i < d; i++) {
                out.set(u * d + i, x.get(src + i));
            }
        }
    }
}
