package ditvm.kernels;

import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;

/**
 * One reverse diffusion step in place (sampler_step.cl, dit-spec.md section 5): {@code x [n, C, I, I]}
 * from x_t to x_{t-1}, with the model output {@code eps [n, outC, I, I]} (outC = 2C: eps and the
 * variance interpolation v; outC = C: eps only), this step's noise z and row k = step[0] of
 * {@code table [steps, COLUMNS]} (float32 casts of the float64 schedule, loop order):
 * <pre>
 *   pred_x0 = c0 x - c1 eps                          (clamped to [-1, 1] when clip != 0)
 *   DDPM:  mean = c2 pred_x0 + c3 x
 *          log_var = frac c4 + (1 - frac) c5, frac = (v + 1) / 2   (mode LEARNED_RANGE)
 *          log_var = c6                                            (mode FIXED_LARGE)
 *          x' = mean + c10 exp(log_var / 2) z
 *   DDIM:  eps' = (c0 x - pred_x0) / c1;  x' = pred_x0 c7 + c8 eps' + c10 c9 z
 * </pre>
 * Arguments: x, eps, noise, table, step [1], n, C, I, outC, mode, clip, noiseStride, steps; z for
 * step k is {@code noise[k * noiseStride + e]}.
 */
public final class SamplerStep extends SourceKernel {
    /** Table columns: c0..c10 above. */
    public static final int SQRT_RECIP_ACP = 0, SQRT_RECIPM1_ACP = 1, COEF1 = 2, COEF2 = 3, LOG_BETA = 4,
            POSTERIOR_LOG_VAR_CLIPPED = 5, FIXED_LARGE_LOG_VAR = 6, SQRT_ACP_PREV = 7, DDIM_EPS_COEF = 8,
            DDIM_SIGMA = 9, NONZERO = 10, COLUMNS = 11;
    public static final int LEARNED_RANGE = 0, FIXED_LARGE = 1, DDIM = 2;

    SamplerStep() {
        super("sampler_step", "sampler_step.cl",
                Param.floats("x", SamplerStep::state), Param.floats("eps", a -> (long) a.i(5) * a.i(8) * a.i(7) * a.i(7)),
                Param.floats("noise", a -> (long) (a.i(12) - 1) * a.i(11) + state(a)),
                Param.floats("table", a -> (long) a.i(12) * COLUMNS), Param.ints("step", a -> 1),
                Param.i32("n"), Param.i32("C"), Param.i32("I"), Param.i32("outC"), Param.i32("mode"), Param.i32("clip"),
                Param.i32("noiseStride"), Param.i32("steps"));
    }

    private static long state(Args a) {
        return (long) a.i(5) * a.i(6) * a.i(7) * a.i(7);
    }

    @Override
    public void checkShapes(Args a) {
        positive("n", a.i(5), "C", a.i(6), "I", a.i(7), "steps", a.i(12));
        int mode = a.i(9);
        require(mode >= LEARNED_RANGE && mode <= DDIM, "mode must be 0, 1 or 2, given " + mode);
        require(a.i(8) == a.i(6) || a.i(8) == 2 * a.i(6), "outC must be C or 2C, given outC = " + a.i(8) + ", C = " + a.i(6));
        require(mode != LEARNED_RANGE || a.i(8) == 2 * a.i(6), "the learned-range variance needs outC = 2C, given " + a.i(8));
        require(a.i(11) >= 0, "noiseStride must be >= 0, given " + a.i(11));
        intRange("eps", (long) a.i(5) * a.i(8) * a.i(7) * a.i(7));
        intRange("noise", (long) (a.i(12) - 1) * a.i(11) + state(a));
    }

    @Override
    public Launch launch(Args a) {
        return perElement(state(a));
    }

    @Override
    public Cost cost(Args a) {
        long s = state(a);
        return Cost.memory(4 * (4 * s) + 4 * COLUMNS, 4 * s);
    }

    /** Units are the n samples. */
    @Override
    public long parallelism(Args a) {
        return a.i(5);
    }

    @Override
    public void reference(Args a, long from, long to) {
        FloatArray x = a.floats(0), eps = a.floats(1), noise = a.floats(2), table = a.floats(3);
        IntArray step = a.ints(4);
        int c = a.i(6), plane = a.i(7) * a.i(7), outC = a.i(8), mode = a.i(9), noiseStride = a.i(11);
        boolean clip = a.i(10) != 0;
        int k = step.get(0);
        float[] row = new float[COLUMNS];
        for (int j = 0; j < COLUMNS; j++) {
            row[j] = table.get((long) k * COLUMNS + j);
        }
        for (long b = from; b < to; b++) {
            for (long e = b * c * plane; e < (b + 1) * c * plane; e++) {
                long ch = e / plane % c, p = e % plane;
                float xt = x.get(e);
                float ep = eps.get((b * outC + ch) * plane + p);
                float z = noise.get((long) k * noiseStride + e);
                float x0 = row[SQRT_RECIP_ACP] * xt - row[SQRT_RECIPM1_ACP] * ep;
                if (clip) {
                    x0 = Math.max(-1.0f, Math.min(1.0f, x0));
                }
                if (mode == DDIM) {
                    float eps2 = (row[SQRT_RECIP_ACP] * xt - x0) / row[SQRT_RECIPM1_ACP];
                    x.set(e, x0 * row[SQRT_ACP_PREV] + row[DDIM_EPS_COEF] * eps2 + row[NONZERO] * row[DDIM_SIGMA] * z);
                    continue;
                }
                float mean = row[COEF1] * x0 + row[COEF2] * xt;
                float logVar = row[FIXED_LARGE_LOG_VAR];
                if (mode == LEARNED_RANGE) {
                    float frac = (eps.get((b * outC + c + ch) * plane + p) + 1.0f) / 2.0f;
                    logVar = frac * row[LOG_BETA] + (1.0f - frac) * row[POSTERIOR_LOG_VAR_CLIPPED];
                }
                x.set(e, mean + row[NONZERO] * (float) Math.exp(0.5f * logVar) * z);
            }
        }
    }
}
