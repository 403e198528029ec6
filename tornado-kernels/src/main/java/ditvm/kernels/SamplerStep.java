package ditvm.kernels;

import ditvm.api.KernelContext;
import ditvm.api.KernelMath;
import ditvm.jit.JavaOp;
import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;
import java.util.List;

/**
 * One reverse diffusion step in place (dit-spec.md section 5): {@code x [n, C, I, I]}
 * from x_t to x_{t-1}, with the (guided) model output {@code eps [n, outC, I, I]} (outC = 2C: eps and
 * the variance interpolation v; outC = C: eps only), this step's noise z and row k = step[0] of
 * {@code table [steps, COLUMNS]} (float32 casts of the float64 schedule, loop order, k = 0 the
 * largest timestep):
 * <pre>
 *   pred_x0 = c0 x - c1 eps                          (clamped to [-1, 1] when clip != 0)
 *   DDPM:  mean = c2 pred_x0 + c3 x
 *          log_var = frac c4 + (1 - frac) c5, frac = (v + 1) / 2   (mode LEARNED_RANGE)
 *          log_var = c6                                            (mode FIXED_LARGE)
 *          x' = mean + c10 exp(log_var / 2) z
 *   DDIM:  eps' = (c0 x - pred_x0) / c1;  x' = pred_x0 c7 + c8 eps' + c10 c9 z
 * </pre>
 * Arguments: x, eps, noise, table, step [1], n, C, I, outC, mode, clip, noiseStride, steps; z for
 * step k is {@code noise[k * noiseStride + e]} (noiseStride 0: one buffer refilled per step;
 * n*C*I*I: a table of every step's z).
 *
 * <p>Versions:
 *   v1  C (sampler_step.cl), one work-item per element of x; PoCL contracted its products into
 *       fmas (OpenCL's default FP_CONTRACT ON), a few ulp from the java device's results.
 *   v2  (this) the same in Java through the JIT, never contracted: on PoCL the java device's bits
 *       (the learned-range mode but for exp's ulps).
 */
public final class SamplerStep extends JavaOp {
    /** Table columns: c0..c10 above. */
    public static final int SQRT_RECIP_ACP = 0, SQRT_RECIPM1_ACP = 1, COEF1 = 2, COEF2 = 3, LOG_BETA = 4,
            POSTERIOR_LOG_VAR_CLIPPED = 5, FIXED_LARGE_LOG_VAR = 6, SQRT_ACP_PREV = 7, DDIM_EPS_COEF = 8,
            DDIM_SIGMA = 9, NONZERO = 10, COLUMNS = 11;
    public static final int LEARNED_RANGE = 0, FIXED_LARGE = 1, DDIM = 2;

    private static final List<Param> PARAMS = List.of(
            Param.floats("x", SamplerStep::state), Param.floats("eps", a -> (long) a.i(5) * a.i(8) * a.i(7) * a.i(7)),
            Param.floats("noise", a -> (long) (a.i(12) - 1) * a.i(11) + state(a)),
            Param.floats("table", a -> (long) a.i(12) * COLUMNS), Param.ints("step", a -> 1),
            Param.i32("n"), Param.i32("C"), Param.i32("I"), Param.i32("outC"), Param.i32("mode"), Param.i32("clip"),
            Param.i32("noiseStride"), Param.i32("steps"));

    SamplerStep() {
        super(SamplerStep.class, "samplerStep", "sampler_step", PARAMS);
    }

    private static long state(Args a) {
        return (long) a.i(5) * a.i(6) * a.i(7) * a.i(7);
    }

    @Override
    public void checkShapes(Args a) {
        Shapes.positive("n", a.i(5), "C", a.i(6), "I", a.i(7), "steps", a.i(12));
        int mode = a.i(9);
        Shapes.require(mode >= LEARNED_RANGE && mode <= DDIM, "mode must be 0, 1 or 2, given " + mode);
        Shapes.require(a.i(8) == a.i(6) || a.i(8) == 2 * a.i(6), "outC must be C or 2C, given outC = " + a.i(8) + ", C = " + a.i(6));
        Shapes.require(mode != LEARNED_RANGE || a.i(8) == 2 * a.i(6), "the learned-range variance needs outC = 2C, given " + a.i(8));
        Shapes.require(a.i(11) >= 0, "noiseStride must be >= 0, given " + a.i(11));
        Shapes.intRange("eps", (long) a.i(5) * a.i(8) * a.i(7) * a.i(7));
        Shapes.intRange("noise", (long) (a.i(12) - 1) * a.i(11) + state(a));
    }

    @Override
    public Launch launch(Args a) {
        return Shapes.perElement(state(a));
    }

    @Override
    public Cost cost(Args a) {
        long s = state(a);
        return Cost.memory(4 * (4 * s) + 4 * COLUMNS, 4 * s);
    }

    /**
     * x[e] from x_t to x_{t-1} by the update above with row k = step[0] of the table; one work-item per
     * element of x.
     */
    public static void samplerStep(KernelContext ctx, FloatArray x, FloatArray eps, FloatArray noise, FloatArray table,
                                   IntArray step, int n, int C, int I, int outC, int mode, int clip, int noiseStride,
                                   int steps) {
        int e = ctx.globalIdx;
        int plane = I * I;
        if (e >= n * C * plane) {
            return;
        }
        int k = step.get(0);
        int row = k * COLUMNS;
        int b = e / (C * plane), c = e / plane % C, p = e % plane;
        float xt = x.get(e);
        float ep = eps.get((b * outC + c) * plane + p);
        float z = noise.get(k * noiseStride + e);
        float x0 = table.get(row + SQRT_RECIP_ACP) * xt - table.get(row + SQRT_RECIPM1_ACP) * ep;
        if (clip != 0) {
            x0 = KernelMath.max(-1.0f, x0 < 1.0f ? x0 : 1.0f); // a NaN becomes 1, as fmax(-1, NaN < 1 ? NaN : 1) in C
        }
        if (mode == DDIM) {
            float eps2 = (table.get(row + SQRT_RECIP_ACP) * xt - x0) / table.get(row + SQRT_RECIPM1_ACP);
            x.set(e, x0 * table.get(row + SQRT_ACP_PREV) + table.get(row + DDIM_EPS_COEF) * eps2
                    + table.get(row + NONZERO) * table.get(row + DDIM_SIGMA) * z);
            return;
        }
        float mean = table.get(row + COEF1) * x0 + table.get(row + COEF2) * xt;
        float logVar = table.get(row + FIXED_LARGE_LOG_VAR);
        if (mode == LEARNED_RANGE) {
            float frac = (eps.get((b * outC + C + c) * plane + p) + 1.0f) / 2.0f;
            logVar = frac * table.get(row + LOG_BETA) + (1.0f - frac) * table.get(row + POSTERIOR_LOG_VAR_CLIPPED);
        }
        x.set(e, mean + table.get(row + NONZERO) * KernelMath.exp(0.5f * logVar) * z);
    }
}
