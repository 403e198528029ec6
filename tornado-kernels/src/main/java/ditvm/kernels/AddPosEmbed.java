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
 * {@code out[b, t, :] = x[b, t, :] + pos[t, :]}, x and out [B, T, D], pos [T, D].
 * out may be the same array as x (in place). Arguments: x, pos, out, B, T, D.
 */
public final class AddPosEmbed extends JavaOp {
    private static final List<Param> PARAMS = List.of(
            Param.floats("x", AddPosEmbed::n), Param.floats("pos", a -> (long) a.i(4) * a.i(5)),
            Param.floats("out", AddPosEmbed::n), Param.i32("B"), Param.i32("T"), Param.i32("D"));

    AddPosEmbed() {
        super(AddPosEmbed.class, "addPosEmbed", "add_pos_embed", PARAMS);
    }

    private static long n(Args a) {
        return (long) a.i(3) * a.i(4) * a.i(5);
    }

    @Override
    public void checkShapes(Args a) {
        Shapes.positive("B", a.i(3), "T", a.i(4), "D", a.i(5));
        Shapes.intRange("x", n(a));
    }

    @Override
    public Launch launch(Args a) {
        return Shapes.perRowElement((long) a.i(4) * a.i(5), a.i(3));
    }

    @Override
    public Cost cost(Args a) {
        return Cost.memory(4 * (n(a) + (long) a.i(4) * a.i(5)), 4 * n(a));
    }

    /**
     * out[b, e] = x[b, e] + pos[e] over the flattened sample e = t * D + d; work-item (e, b), so that
     * no index divides. A work-item per element of out with pos[e % (T * D)] kept PoCL scalar: DiT-S/2
     * b8 256 (8 x 256 x 384) 0.8-1.2 ms, this 0.12-0.20 ms; S/2 b4 512 2.4-3.3 ms, this 0.39-0.42 ms
     * (2-core Xeon, interleaved profiles, results/peers-pocl.md).
     */
    public static void addPosEmbed(KernelContext ctx, FloatArray x, FloatArray pos, FloatArray out, int B, int T, int D) {
        int e = ctx.globalIdx;
        int td = T * D;
        if (e < td) {
            long o = (long) ctx.globalIdy * td + e;
            out.set(o, x.get(o) + pos.get(e));
        }
    }
}
