package ditvm.model.sampling;

import ditvm.kernels.SamplerStep;
import java.util.ArrayList;
import java.util.List;

/**
 * The diffusion process respaced to N steps, in float64 (dit-spec.md section 5, the official
 * {@code create_diffusion(str(N))}): linear betas over T = 1000 base steps, the kept base timesteps
 * (stride (T-1)/(N-1) accumulated from 0.0, Python rounding), new betas
 * {@code 1 - acp[k_i] / acp[k_{i-1}]} and every table rebuilt from them. Index i runs 0..N-1 from
 * the smallest timestep; the reverse process visits i = N-1 first.
 */
public final class DiffusionSchedule {
    public static final int BASE_STEPS = 1000;

    private final int[] timesteps;
    private final double[] betas;
    private final double[] acp;
    private final double[] acpPrev;
    private final double[] posteriorLogVarianceClipped;
    private final double[] fixedLargeLogVariance;
    private final double[] coef1;
    private final double[] coef2;

    private DiffusionSchedule(int[] timesteps, double[] betas) {
        int n = betas.length;
        this.timesteps = timesteps;
        this.betas = betas;
        acp = new double[n];
        acpPrev = new double[n];
        double product = 1.0;
        for (int i = 0; i < n; i++) {
            acpPrev[i] = product;
            product *= 1.0 - betas[i];
            acp[i] = product;
        }
        double[] posteriorVariance = new double[n];
        coef1 = new double[n];
        coef2 = new double[n];
        for (int i = 0; i < n; i++) {
            posteriorVariance[i] = betas[i] * (1.0 - acpPrev[i]) / (1.0 - acp[i]);
            coef1[i] = betas[i] * Math.sqrt(acpPrev[i]) / (1.0 - acp[i]);
            coef2[i] = (1.0 - acpPrev[i]) * Math.sqrt(1.0 - betas[i]) / (1.0 - acp[i]);
        }
        posteriorLogVarianceClipped = new double[n];
        fixedLargeLogVariance = new double[n];
        for (int i = 0; i < n; i++) {
            // Element 0 of both takes element 1 of the posterior variance (0 at i = 0). With N = 1 there
            // is no element 1; the variance is unused there (no noise at i = 0), so log beta_0 stands in.
            double first = n > 1 ? posteriorVariance[1] : betas[0];
            posteriorLogVarianceClipped[i] = Math.log(i == 0 ? first : posteriorVariance[i]);
            fixedLargeLogVariance[i] = Math.log(i == 0 ? first : betas[i]);
        }
    }

    /** The official linear schedule over {@code steps} base steps: np.linspace(1e-4 s, 0.02 s, steps), s = 1000 / steps. */
    public static double[] linearBetas(int steps) {
        double scale = 1000.0 / steps, start = scale * 1e-4, end = scale * 0.02;
        double[] b = new double[steps];
        double step = (end - start) / (steps - 1);
        for (int i = 0; i < steps; i++) {
            b[i] = i * step + start; // numpy: arange * step + start, the last element set to end
        }
        b[steps - 1] = end;
        return b;
    }

    /** The base timesteps kept for N steps, ascending (the official {@code space_timesteps(1000, [N])}). */
    public static int[] respacedTimesteps(int steps) {
        if (steps < 1 || steps > BASE_STEPS) {
            throw new IllegalArgumentException("sampling steps must be in 1.." + BASE_STEPS + ", given " + steps);
        }
        double stride = steps == 1 ? 1.0 : (BASE_STEPS - 1) / (double) (steps - 1);
        double cur = 0.0;
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            int k = (int) Math.rint(cur); // Python's round: halves to even, as Math.rint
            if (!kept.contains(k)) {
                kept.add(k);
            }
            cur += stride; // accumulated, not i * stride
        }
        return kept.stream().sorted().mapToInt(Integer::intValue).toArray();
    }

    /** The process respaced to {@code steps} steps. */
    public static DiffusionSchedule respaced(int steps) {
        int[] kept = respacedTimesteps(steps);
        double[] base = linearBetas(BASE_STEPS);
        double[] baseAcp = new double[BASE_STEPS];
        double product = 1.0;
        for (int i = 0; i < BASE_STEPS; i++) {
            product *= 1.0 - base[i];
            baseAcp[i] = product;
        }
        double[] betas = new double[kept.length];
        double last = 1.0;
        for (int i = 0; i < kept.length; i++) {
            betas[i] = 1.0 - baseAcp[kept[i]] / last;
            last = baseAcp[kept[i]];
        }
        return new DiffusionSchedule(kept, betas);
    }

    public int steps() {
        return betas.length;
    }

    /** The original timestep k_i the model sees at index i. */
    public int[] timesteps() {
        return timesteps.clone();
    }

    public double[] betas() {
        return betas.clone();
    }

    public double[] alphasCumprod() {
        return acp.clone();
    }

    public double[] alphasCumprodPrev() {
        return acpPrev.clone();
    }

    public double[] posteriorLogVarianceClipped() {
        return posteriorLogVarianceClipped.clone();
    }

    public double[] fixedLargeLogVariance() {
        return fixedLargeLogVariance.clone();
    }

    public double[] coef1() {
        return coef1.clone();
    }

    public double[] coef2() {
        return coef2.clone();
    }

    /** The model's timestep per reverse step k (k = 0 first, at index i = N-1-k), as floats. */
    public float[] loopTimesteps() {
        int n = steps();
        float[] t = new float[n];
        for (int k = 0; k < n; k++) {
            t[k] = timesteps[n - 1 - k];
        }
        return t;
    }

    /**
     * The {@link SamplerStep} table [N, COLUMNS] in loop order (row k for index i = N-1-k): each
     * float64 coefficient cast to float32. {@code eta} is DDIM's (0 for DDPM).
     */
    public float[] stepTable(double eta) {
        int n = steps(), w = SamplerStep.COLUMNS;
        float[] t = new float[n * w];
        for (int k = 0; k < n; k++) {
            int i = n - 1 - k;
            double a = acp[i], aPrev = acpPrev[i];
            double sigma = eta * Math.sqrt((1.0 - aPrev) / (1.0 - a)) * Math.sqrt(1.0 - a / aPrev);
            int r = k * w;
            t[r + SamplerStep.SQRT_RECIP_ACP] = (float) Math.sqrt(1.0 / a);
            t[r + SamplerStep.SQRT_RECIPM1_ACP] = (float) Math.sqrt(1.0 / a - 1.0);
            t[r + SamplerStep.COEF1] = (float) coef1[i];
            t[r + SamplerStep.COEF2] = (float) coef2[i];
            t[r + SamplerStep.LOG_BETA] = (float) Math.log(betas[i]);
            t[r + SamplerStep.POSTERIOR_LOG_VAR_CLIPPED] = (float) posteriorLogVarianceClipped[i];
            t[r + SamplerStep.FIXED_LARGE_LOG_VAR] = (float) fixedLargeLogVariance[i];
            t[r + SamplerStep.SQRT_ACP_PREV] = (float) Math.sqrt(aPrev);
            t[r + SamplerStep.DDIM_EPS_COEF] = (float) Math.sqrt(1.0 - aPrev - sigma * sigma);
            t[r + SamplerStep.DDIM_SIGMA] = (float) sigma;
            t[r + SamplerStep.NONZERO] = i != 0 ? 1f : 0f;
        }
        return t;
    }
}
