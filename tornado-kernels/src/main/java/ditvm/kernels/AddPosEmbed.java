package ditvm.kernels;

import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;

/**
 * {@code out[b, t, :] = x[b, t, :] + pos[t, :]}, x and out [B, T, D], pos [T, D] (add_pos_embed.cl).
 * out may be the same array as x (in place). Arguments: x, pos, out, B, T, D.
 */
public final class AddPosEmbed extends SourceKernel {
    AddPosEmbed() {
        super("add_pos_embed", "add_pos_embed.cl",
                Param.floats("x", AddPosEmbed::n), Param.floats("pos", a -> (long) a.i(4) * a.i(5)),
                Param.floats("out", AddPosEmbed::n), Param.i32("B"), Param.i32("T"), Param.i32("D"));
    }

    private static long n(Args a) {
        return (long) a.i(3) * a.i(4) * a.i(5);
    }

    @Override
    public void checkShapes(Args a) {
        positive("B", a.i(3), "T", a.i(4), "D", a.i(5));
        intRange("x", n(a));
    }

    @Override
    public Launch launch(Args a) {
        return perElement(n(a));
    }

    @Override
    public Cost cost(Args a) {
        return Cost.memory(4 * (n(a) + (long) a.i(4) * a.i(5)), 4 * n(a));
    }

    /** Units are tokens b * T + t. */
    @Override
    public long parallelism(Args a) {
        return (long) a.i(3) * a.i(4);
    }

    @Override
    public void reference(Args a, long from, long to) {
        FloatArray x = a.floats(0), pos = a.floats(1), out = a.floats(2);
        int t = a.i(4), d = a.i(5);
        for (long token = from; token < to; token++) {
            long p = token % t * d;
            for (int i = 0; i < d; i++) {
                out.set(token * d + i, x.get(token * d + i) + pos.get(p + i));
            }
        }
    }
}
