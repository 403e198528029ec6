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
        return Shapes.perRowElement((a.i(5) + 2L) * a.i(6), a.i(4));
    }

    @Override
    public Cost cost(Args a) {
        long n = (long) a.i(4) * (a.i(5) + 2L) * a.i(6);
        return Cost.memory(4 * n, 4 * n);
    }

    /**
     * out[b] = [x[b, 0..T), tEmb[b], yEmb[b]]: in-context conditioning's two extra tokens; work-item
     * (e, b) for element e = t * D + d of sample b, no index divides. A work-item per element of out
     * (t, b from e by / and %) kept PoCL scalar: S/2 b8 256 2.7-3.2 ms, this 0.37 ms; S/2 b4 512
     * 6.6-9.2 ms, this 0.74-0.82 ms (2-core Xeon, interleaved profiles, results/peers-pocl.md).
     */
    public static void appendTokens(KernelContext ctx, FloatArray x, FloatArray tEmb, FloatArray yEmb, FloatArray out,
                                    int B, int T, int D) {
        int e = ctx.globalIdx;
        int td = T * D;
        if (e >= td + 2 * D) {
            return;
        }
        long b = ctx.globalIdy;
        float v = e < td ? x.get(b * td + e) : e < td + D ? tEmb.get(b * D + e - td) : yEmb.get(b * D + e - td - D);
        out.set(b * (td + 2 * D) + e, v);
    }
}
