package ditvm.kernels;

import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;

/**
 * Sinusoidal timestep embedding (timestep_embed.cl): {@code t [B] -> out [B, dim]},
 * half = dim/2, f_k = exp(-ln(10000) k / half) in float32,
 * {@code out[b] = [cos(t f_k)]_k ++ [sin(t f_k)]_k} (cosine half first). DiT uses dim = 256.
 * Arguments: t, out, B, dim (even).
 */
public final class TimestepEmbed extends SourceKernel {
    /** -ln(10000) as a float32, as DiT's float32 arithmetic sees it. */
    static final float NEG_LN_MAX_PERIOD = -9.210340371976184f;

    TimestepEmbed() {
        super("timestep_embed", "timestep_embed.cl",
                Param.floats("t", a -> a.i(2)), Param.floats("out", a -> (long) a.i(2) * a.i(3)),
                Param.i32("B"), Param.i32("dim"));
    }

    /** Frequency k of a dim-wide embedding, computed as the kernel does: float32 throughout. */
    public static float frequency(int k, int dim) {
        return (float) Math.exp((NEG_LN_MAX_PERIOD * (float) k) / (float) (dim / 2));
    }

    @Override
    public void checkShapes(Args a) {
        positive("B", a.i(2), "dim", a.i(3));
        require(a.i(3) % 2 == 0, "embedding dim must be even (a cosine and a sine half), given " + a.i(3));
        intRange("out", (long) a.i(2) * a.i(3));
    }

    @Override
    public Launch launch(Args a) {
        return perElement((long) a.i(2) * (a.i(3) / 2));
    }

    @Override
    public Cost cost(Args a) {
        return Cost.memory(4L * a.i(2), 4L * a.i(2) * a.i(3));
    }

    @Override
    public long parallelism(Args a) {
        return a.i(2);
    }

    @Override
    public void reference(Args a, long from, long to) {
        FloatArray t = a.floats(0), out = a.floats(1);
        int dim = a.i(3), half = dim / 2;
        for (long b = from; b < to; b++) {
            for (int k = 0; k < half; k++) {
                float arg = t.get(b) * frequency(k, dim);
                out.set(b * dim + k, (float) Math.cos(arg));
                out.set(b * dim + half + k, (float) Math.sin(arg));
            }
        }
    }
}
