package ditvm.kernels;

import ditvm.api.KernelContext;
import ditvm.jit.JavaOp;
import ditvm.api.KernelMath;
import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;
import java.util.List;

/**
 * Sinusoidal timestep embedding: {@code t [B] -> out [B, dim]},
 * half = dim/2, f_k = exp(-ln(10000) k / half) in float32,
 * {@code out[b] = [cos(t f_k)]_k ++ [sin(t f_k)]_k} (cosine half first). DiT uses dim = 256.
 * Arguments: t, out, B, dim (even).
 */
public final class TimestepEmbed extends JavaOp {
    /** -ln(10000) as a float32, as DiT's float32 arithmetic sees it. */
    static final float NEG_LN_MAX_PERIOD = -9.210340371976184f;

    private static final List<Param> PARAMS = List.of(
            Param.floats("t", a -> a.i(2)), Param.floats("out", a -> (long) a.i(2) * a.i(3)),
            Param.i32("B"), Param.i32("dim"));

    TimestepEmbed() {
        super(TimestepEmbed.class, "timestepEmbed", "timestep_embed", PARAMS);
    }

    @Override
    public void checkShapes(Args a) {
        Shapes.positive("B", a.i(2), "dim", a.i(3));
        Shapes.require(a.i(3) % 2 == 0, "embedding dim must be even (a cosine and a sine half), given " + a.i(3));
        Shapes.intRange("out", (long) a.i(2) * a.i(3));
    }

    @Override
    public Launch launch(Args a) {
        return Shapes.perElement((long) a.i(2) * (a.i(3) / 2));
    }

    @Override
    public Cost cost(Args a) {
        return Cost.memory(4L * a.i(2), 4L * a.i(2) * a.i(3));
    }

    /**
     * out[b] = [cos(t[b] f), sin(t[b] f)] with f_k = exp(-ln(10000) k / (dim / 2)), k < dim / 2 (DiT's
     * timestep_embedding, float32); one work-item per (b, k).
     */
    public static void timestepEmbed(KernelContext ctx, FloatArray t, FloatArray out, int B, int dim) {
        int e = ctx.globalIdx;
        int half = dim / 2;
        if (e >= B * half) {
            return;
        }
        int b = e / half, k = e % half;
        float a = t.get(b) * KernelMath.exp(NEG_LN_MAX_PERIOD * (float) k / (float) half);
        out.set((long) b * dim + k, KernelMath.cos(a));
        out.set((long) b * dim + half + k, KernelMath.sin(a));
    }
}
