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
 * In-context conditioning: {@code x [B, T, D], tEmb [B, D], yEmb [B, D] ->
 * out [B, T+2, D]} with tEmb at token T and yEmb at token T+1. Arguments: x, tEmb, yEmb, out, B, T, D.
 */
public final class AppendTokens extends JavaOp {
    private static final List<Param> PARAMS = List.of(
            Param.floats("x", a -> (long) a.i(4) * a.i(5) * a.i(6)),
            Param.floats("tEmb", a -> (long) a.i(4) * a.i(6)),
            Param.floats("yEmb", a -> (long) a.i(4) * a.i(6)),
            Param.floats("out", a -> (long) a.i(4) * (a.i(5) + 2L) * a.i(6)),
            Param.i32("B"), Param.i32("T"), Param.i32("D"));

    AppendTokens() {
        super(AppendTokens.class, "appendTokens", "append_tokens", PARAMS);
    }

    @Override
    public void checkShapes(Args a) {
        Shapes.positive("B", a.i(4), "D", a.i(6));
        // T = 0 is allowed: it stacks [tEmb, yEmb] into the cross-attention context [B, 2, D].
        Shapes.require(a.i(5) >= 0, "T must be >= 0, given " + a.i(5));
        Shapes.intRange("out", (long) a.i(4) * (a.i(5) + 2L) * a.i(6));
    }

    @Override
    public Launch launch(Args a) {
        return Shapes.perElement((long) a.i(4) * (a.i(5) + 2L) * a.i(6));
    }

    @Override
    public Cost cost(Args a) {
        long n = (long) a.i(4) * (a.i(5) + 2L) * a.i(6);
        return Cost.memory(4 * n, 4 * n);
    }

    /** out[b] = [x[b, 0..T), tEmb[b], yEmb[b]]: in-context conditioning's two extra tokens; one work-item per element. */
    public static void appendTokens(KernelContext ctx, FloatArray x, FloatArray tEmb, FloatArray yEmb, FloatArray out,
                                    int B, int T, int D) {
        int e = ctx.globalIdx;
        int t2 = T + 2;
        if (e >= B * t2 * D) {
            return;
        }
        int d = e % D, t = e / D % t2, b = e / (D * t2);
        out.set(e, t < T ? x.get(((long) b * T + t) * D + d) : t == T ? tEmb.get((long) b * D + d) : yEmb.get((long) b * D + d));
    }
}
