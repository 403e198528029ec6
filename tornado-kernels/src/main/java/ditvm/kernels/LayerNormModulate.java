package ditvm.kernels;

import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;

/**
 * LayerNorm over D per row of x [B*T, D] (population variance, eps), then optionally the affine
 * {@code h * gamma + beta} and optionally adaLN's {@code h * (1 + scale[b]) + shift[b]}, shift and
 * scale read from the modulation linear's output [B, modStride] at element offsets
 * (layernorm_modulate.cl).
 *
 * <p>Arguments: x, gamma, beta, mod, out, B, T, D, eps, affine, modulate, modStride, shiftOffset,
 * scaleOffset. gamma/beta [D] when affine = 1, else any array of length >= 1 (unused); mod when
 * modulate = 1 holds B rows of modStride elements, else any array of length >= 1 (unused).
 * E.g. adaLN-Zero's first LN of a block: modStride = 6D, shiftOffset = 0, scaleOffset = D.
 *
 * <p>Two sources with one contract: {@link #portable()} (layernorm_modulate.cl, OpenCL and CUDA,
 * a work-group per row, for GPUs) and {@link #cpu()} (layernorm_modulate_cpu.cl, OpenCL only,
 * a work-item per {@value #CPU_ROWS} rows in float16 vectors: the fast one on PoCL / CPU devices).
 */
public final class LayerNormModulate extends SourceKernel {
    private static final int X = 0, GAMMA = 1, BETA = 2, MOD = 3, OUT = 4, B = 5, T = 6, D = 7, EPS = 8,
            AFFINE = 9, MODULATE = 10, MOD_STRIDE = 11, SHIFT = 12, SCALE = 13;
    /** Work-items per row; the .cl default. */
    static final int WG = 32;
    /** Rows per work-item of the CPU source; LN_ROWS in layernorm_modulate_cpu.cl. */
    static final int CPU_ROWS = 4;
    private final boolean cpu;

    /** Work-group of {@value #WG} work-items per row, tree reductions in local memory. */
    static LayerNormModulate portable() {
        return new LayerNormModulate("layernorm_modulate", false);
    }

    /** Work-item (work-group of one) per {@value #CPU_ROWS} rows, float16 vectors; OpenCL CPU devices. */
    static LayerNormModulate cpu() {
        return new LayerNormModulate("layernorm_modulate_cpu", true);
    }

    private LayerNormModulate(String name, boolean cpu) {
        super(name, name + ".cl",
                Param.floats("x", a -> rows(a) * a.i(D)),
                Param.floats("gamma", a -> a.i(AFFINE) == 1 ? a.i(D) : 1),
                Param.floats("beta", a -> a.i(AFFINE) == 1 ? a.i(D) : 1),
                Param.floats("mod", a -> a.i(MODULATE) == 1 ? (long) a.i(B) * a.i(MOD_STRIDE) : 1),
                Param.floats("out", a -> rows(a) * a.i(D)),
                Param.i32("B"), Param.i32("T"), Param.i32("D"), Param.f32("eps"),
                Param.i32("affine"), Param.i32("modulate"),
                Param.i32("modStride"), Param.i32("shiftOffset"), Param.i32("scaleOffset"));
        this.cpu = cpu;
    }

    private static long rows(Args a) {
        return (long) a.i(B) * a.i(T);
    }

    @Override
    public void checkShapes(Args a) {
        positive("B", a.i(B), "T", a.i(T), "D", a.i(D));
        intRange("x", rows(a) * a.i(D));
        require(a.i(AFFINE) <= 1, "affine is a flag, 0 or 1, given " + a.i(AFFINE));
        require(a.i(MODULATE) <= 1, "modulate is a flag, 0 or 1, given " + a.i(MODULATE));
        require(Float.isFinite(a.f(EPS)) && a.f(EPS) >= 0, "eps must be finite and >= 0, given " + a.f(EPS));
        if (a.i(MODULATE) == 1) {
            int d = a.i(D), stride = a.i(MOD_STRIDE);
            require(a.i(SHIFT) + d <= stride, "shift chunk [shiftOffset, shiftOffset + D) = [" + a.i(SHIFT) + ", "
                    + (a.i(SHIFT) + d) + ") does not fit in a modulation row of modStride = " + stride);
            require(a.i(SCALE) + d <= stride, "scale chunk [scaleOffset, scaleOffset + D) = [" + a.i(SCALE) + ", "
                    + (a.i(SCALE) + d) + ") does not fit in a modulation row of modStride = " + stride);
        }
    }

    @Override
    public Launch launch(Args a) {
        if (cpu) {
            return new Launch(new long[] {Launch.ceilDiv(rows(a), CPU_ROWS)}, new long[] {1});
        }
        return new Launch(new long[] {rows(a) * WG}, new long[] {WG});
    }

    @Override
    public Cost cost(Args a) {
        long n = rows(a) * a.i(D);
        long read = n + (a.i(AFFINE) == 1 ? 2L * a.i(D) : 0) + (a.i(MODULATE) == 1 ? 2L * a.i(B) * a.i(D) : 0);
        return new Cost(0, n, 4 * read, 4 * n);
    }

    @Override
    public long parallelism(Args a) {
        return rows(a);
    }

    @Override
    public void reference(Args a, long from, long to) {
        FloatArray x = a.floats(X), gamma = a.floats(GAMMA), beta = a.floats(BETA), mod = a.floats(MOD), out = a.floats(OUT);
        int t = a.i(T), d = a.i(D);
        float eps = a.f(EPS);
        boolean affine = a.i(AFFINE) == 1, modulate = a.i(MODULATE) == 1;
        for (long row = from; row < to; row++) {
            long base = row * d;
            float sum = 0;
            for (int i = 0; i < d; i++) {
                sum += x.get(base + i);
            }
            float mean = sum / d;
            float var = 0;
            for (int i = 0; i < d; i++) {
                float c = x.get(base + i) - mean;
                var += c * c;
            }
            float rstd = (float) (1 / Math.sqrt(var / d + eps));
            long modRow = row / t * a.i(MOD_STRIDE);
            for (int i = 0; i < d; i++) {
                float h = (x.get(base + i) - mean) * rstd;
                if (affine) {
                    h = h * gamma.get(i) + beta.get(i);
                }
                if (modulate) {
                    h = h * (1 + mod.get(modRow + a.i(SCALE) + i)) + mod.get(modRow + a.i(SHIFT) + i);
                }
                out.set(base + i, h);
            }
        }
    }
}
