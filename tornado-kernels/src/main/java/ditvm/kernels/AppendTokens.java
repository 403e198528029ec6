package ditvm.kernels;

import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;

/**
 * In-context conditioning (append_tokens.cl): {@code x [B, T, D], tEmb [B, D], yEmb [B, D] ->
 * out [B, T+2, D]} with tEmb at token T and yEmb at token T+1. Arguments: x, tEmb, yEmb, out, B, T, D.
 */
public final class AppendTokens extends SourceKernel {
    AppendTokens() {
        super("append_tokens", "append_tokens.cl",
                Param.floats("x", a -> (long) a.i(4) * a.i(5) * a.i(6)),
                Param.floats("tEmb", a -> (long) a.i(4) * a.i(6)),
                Param.floats("yEmb", a -> (long) a.i(4) * a.i(6)),
                Param.floats("out", a -> (long) a.i(4) * (a.i(5) + 2L) * a.i(6)),
                Param.i32("B"), Param.i32("T"), Param.i32("D"));
    }

    @Override
    public void checkShapes(Args a) {
        positive("B", a.i(4), "D", a.i(6));
        // T = 0 is allowed: it stacks [tEmb, yEmb] into the cross-attention context [B, 2, D].
        require(a.i(5) >= 0, "T must be >= 0, given " + a.i(5));
        intRange("out", (long) a.i(4) * (a.i(5) + 2L) * a.i(6));
    }

    @Override
    public Launch launch(Args a) {
        return perElement((long) a.i(4) * (a.i(5) + 2L) * a.i(6));
    }

    @Override
    public Cost cost(Args a) {
        long n = (long) a.i(4) * (a.i(5) + 2L) * a.i(6);
        return Cost.memory(4 * n, 4 * n);
    }

    /** Units are output tokens b * (T+2) + t. */
    @Override
    public long parallelism(Args a) {
        return (long) a.i(4) * (a.i(5) + 2L);
    }

    @Override
    public void reference(Args a, long from, long to) {
        FloatArray x = a.floats(0), te = a.floats(1), ye = a.floats(2), out = a.floats(3);
        int t = a.i(5), d = a.i(6);
        for (long u = from; u < to; u++) {
            long b = u / (t + 2);
            int tok = (int) (u % (t + 2));
            for (int i = 0; i < d; i++) {
                float v = tok < t ? x.get((b * t + tok) * d + i) : tok == t ? te.get(b * d + i) : ye.get(b * d + i);
                out.set(u * d + i, v);
            }
        }
    }
}
