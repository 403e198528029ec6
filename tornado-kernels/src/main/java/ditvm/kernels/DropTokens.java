package ditvm.kernels;

import ditvm.api.KernelContext;
import ditvm.jit.JavaOp;
import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;
import java.util.List;

/**
 * Drops the two appended condition tokens: {@code x [B, T+2, D] -> out [B, T, D]},
 * the first T tokens of each sample. Arguments: x, out, B, T, D (T counts the kept tokens).
 */
public final class DropTokens extends JavaOp {
    private static final List<Param> PARAMS = List.of(
            Param.floats("x", a -> (long) a.i(2) * (a.i(3) + 2L) * a.i(4)),
            Param.floats("out", a -> (long) a.i(2) * a.i(3) * a.i(4)),
            Param.i32("B"), Param.i32("T"), Param.i32("D"));

    DropTokens() {
        super(DropTokens.class, "dropTokens", "drop_tokens", PARAMS);
    }

    @Override
    public void checkShapes(Args a) {
        Shapes.positive("B", a.i(2), "T", a.i(3), "D", a.i(4));
        Shapes.intRange("x", (long) a.i(2) * (a.i(3) + 2L) * a.i(4));
    }

    @Override
    public Launch launch(Args a) {
        return Shapes.perRowElement((long) a.i(3) * a.i(4), a.i(2));
    }

    @Override
    public Cost cost(Args a) {
        long n = (long) a.i(2) * a.i(3) * a.i(4);
        return Cost.memory(4 * n, 4 * n);
    }

    /**
     * out[b] = x[b, 0..T): drops the two condition tokens AppendTokens added; work-item (e, b) for element
     * e = t * D + d of sample b, no index divides. A work-item per element of out (e / td and e % td) kept
     * PoCL scalar: S/2 b8 256 1.2 ms, this 0.22 ms; S/2 b4 512 2.4 ms, this 0.44 ms (2-core Xeon,
     * interleaved profiles, results/peers-pocl.md).
     */
    public static void dropTokens(KernelContext ctx, FloatArray x, FloatArray out, int B, int T, int D) {
        int e = ctx.globalIdx;
        int td = T * D;
        if (e < td) {
            long b = ctx.globalIdy;
            out.set(b * td + e, x.get(b * (td + 2 * D) + e));
        }
    }
}
