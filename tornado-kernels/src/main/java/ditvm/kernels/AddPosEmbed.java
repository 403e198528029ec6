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
        return Shapes.perElement(n(a));
    }

    @Override
    public Cost cost(Args a) {
        return Cost.memory(4 * (n(a) + (long) a.i(4) * a.i(5)), 4 * n(a));
    }

    /** out[b, t, d] = x[b, t, d] + pos[t, d]; one work-item per element (x and out may be one array). */
    public static void addPosEmbed(KernelContext ctx, FloatArray x, FloatArray pos, FloatArray out, int B, int T, int D) {
        int e = ctx.globalIdx;
        int td = T * D;
        if (e < B * td) {
            out.set(e, x.get(e) + pos.get(e % td));
        }
    }
}
