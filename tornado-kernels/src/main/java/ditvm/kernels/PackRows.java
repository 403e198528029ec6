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
 * A [M, K] into 6-row panels for {@link Gemm.Impl#CPU_PACKED}: {@code ap[t][k][r] = A[min(6t + r, M - 1)][k]},
 * ceil(M / 6) panels of K x 6 (the rows past M repeat the last row; the GEMM does not store them).
 * One pass over A, so that the GEMM's per-k reads of its tile's six rows are one stream.
 * Arguments: a, ap, M, K.
 */
public final class PackRows extends JavaOp {
    private static final List<Param> PARAMS = List.of(
            Param.floats("a", x -> (long) x.i(2) * x.i(3)),
            Param.floats("ap", x -> packedLength(x.i(2), x.i(3))),
            Param.i32("M"), Param.i32("K"));

    PackRows() {
        super(PackRows.class, "packRows", "pack_rows", PARAMS);
    }

    /** Floats of the packed A [ceil(M / 6), K, 6]. */
    public static long packedLength(int m, int k) {
        return (long) Launch.ceilDiv(m, GemmKernels.MR) * GemmKernels.MR * k;
    }

    /** One work-item per (panel t, column k): the six values of ap[t][k]. */
    public static void packRows(KernelContext ctx, FloatArray a, FloatArray ap, int m, int k) {
        int e = ctx.globalIdx; // t * K + kk
        int panels = (m + GemmKernels.MR - 1) / GemmKernels.MR;
        if (e >= panels * k) {
            return;
        }
        int t = e / k, kk = e % k;
        for (int r = 0; r < GemmKernels.MR; r++) {
            ap.set((long) e * GemmKernels.MR + r, a.get((long) Math.min(t * GemmKernels.MR + r, m - 1) * k + kk));
        }
    }

    @Override
    public void checkShapes(Args a) {
        Shapes.positive("M", a.i(2), "K", a.i(3));
        Shapes.intRange("ap", packedLength(a.i(2), a.i(3)));
    }

    @Override
    public Launch launch(Args a) {
        return Shapes.perElement(packedLength(a.i(2), a.i(3)) / GemmKernels.MR);
    }

    @Override
    public Cost cost(Args a) {
        return Cost.memory(4L * a.i(2) * a.i(3), 4 * packedLength(a.i(2), a.i(3)));
    }
}
