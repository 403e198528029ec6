package ditvm.kernels;

import ditvm.api.Float16;
import ditvm.api.KernelContext;
import ditvm.api.KernelMath;
import ditvm.jit.JavaOp;
import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;
import java.util.List;

/**
 * LayerNorm over D per row of x [B*T, D] (population variance from two passes, eps), then
 * optionally the affine {@code h * gamma + beta} and optionally adaLN's
 * {@code h * (1 + scale[b]) + shift[b]}, b = row / T, shift and scale read in place from the
 * modulation linear's output [B, modStride] at element offsets; out [B*T, D] = h:
 * <pre>
 *   mean = sum(x) / D;  var = sum((x - mean)^2) / D
 *   h = (x - mean) / sqrt(var + eps)
 *   if affine:   h = h * gamma[i] + beta[i]                (gamma, beta [D])
 *   if modulate: h = h * (1 + scale[b][i]) + shift[b][i]   (scale[b][i] = mod[b * modStride + scaleOffset + i], shift likewise)
 * </pre>
 *
 * <p>Arguments: x, gamma, beta, mod, out, B, T, D, eps, affine, modulate, modStride, shiftOffset,
 * scaleOffset. gamma/beta [D] when affine = 1, else any array of length >= 1 (unused); mod when
 * modulate = 1 holds B rows of modStride elements, else any array of length >= 1 (unused).
 * E.g. adaLN-Zero's first LN of a block: modStride = 6D, shiftOffset = 0, scaleOffset = D.
 * Any D >= 1.
 *
 * <p>Two kernel methods with one contract: {@link #portable()} ({@link #layerNormModulate}, a
 * work-group of {@value #WG} work-items per row, tree reductions in local memory: for GPUs) and
 * {@link #cpu()} ({@link #layerNormModulateCpu}, a work-item per {@value #CPU_ROWS} whole rows
 * in Float16 vectors: the fast one on PoCL / CPU devices and the one the java device runs in
 * the model).
 *
 * <p>Versions (PoCL, 2 cores AVX-512, rows = 2048, D = 384, modulate; copy of the same bytes: see
 * results/kernels-pocl.md):
 *   v1  C (layernorm_modulate.cl), work-group per row, two-pass mean/variance with tree
 *       reductions; x is read three times, from cache after the first (a row is D*4 bytes).
 *       WG = 32 (one warp per row on GPUs). On PoCL: 128 work-items 2.7 ms, 64 1.5, 32 1.45,
 *       16 1.65. Tried and dropped: loops with work-group-uniform trip counts (so PoCL vectorises
 *       across work-items) 2.1 ms; one barrier with every work-item adding all partials instead
 *       of the tree, 1.5 ms at 16 and worse above. The cost on CPUs is per-group overhead and
 *       barriers, not bandwidth, hence v2 for CPUs; v1 stays the GPU shape.
 *   v2  C (layernorm_modulate_cpu.cl), work-item (work-group of one, so PoCL runs no work-item
 *       loops and needs no barriers) per CPU_ROWS = 4 rows, float16, no barriers: 0.22-0.26 ms
 *       quiet (24-29 GB/s, about the copy kernel's 28-29 GB/s), 0.34 ms with the machine loaded
 *       (18 GB/s = 0.68 of copy's 27 in the same run): ~6-9x v1.
 *   v3  (this) both shapes as Java methods through the JIT, the same loops as the C; the java
 *       device runs the methods themselves (no separate reference). CPU shape against v2,
 *       interleaved on the loaded machine: 0.25 ms each, ratios 1.00-1.05 (median ~1.02). GPU
 *       shape: with int column loops (i += WG, which wraps in Java and so in the generated C) the
 *       C compiler cannot count the trips and PoCL ran it at ~2.2 ms against v1's 1.7; with a long
 *       i (i + WG cannot wrap below an int bound) about v1's time (noisy: 1.5-2.3 ms both).
 */
public final class LayerNormModulate extends JavaOp {
    private static final int B = 5, T = 6, D = 7, EPS = 8, AFFINE = 9, MODULATE = 10, MOD_STRIDE = 11, SHIFT = 12,
            SCALE = 13;
    /** Work-items per row of the GPU shape (one warp). */
    static final int WG = 32;
    /** Rows per work-item of the CPU shape. */
    static final int CPU_ROWS = 4;
    private static final List<Param> PARAMS = List.of(
            Param.floats("x", a -> rows(a) * a.i(D)),
            Param.floats("gamma", a -> a.i(AFFINE) == 1 ? a.i(D) : 1),
            Param.floats("beta", a -> a.i(AFFINE) == 1 ? a.i(D) : 1),
            Param.floats("mod", a -> a.i(MODULATE) == 1 ? (long) a.i(B) * a.i(MOD_STRIDE) : 1),
            Param.floats("out", a -> rows(a) * a.i(D)),
            Param.i32("B"), Param.i32("T"), Param.i32("D"), Param.f32("eps"),
            Param.i32("affine"), Param.i32("modulate"),
            Param.i32("modStride"), Param.i32("shiftOffset"), Param.i32("scaleOffset"));

    private final boolean cpu;

    private LayerNormModulate(String name, String method, boolean cpu) {
        super(LayerNormModulate.class, method, name, PARAMS);
        this.cpu = cpu;
    }

    /** Work-group of {@value #WG} work-items per row, tree reductions in local memory. */
    static LayerNormModulate portable() {
        return new LayerNormModulate("layernorm_modulate", "layerNormModulate", false);
    }

    /** Work-item (work-group of one) per {@value #CPU_ROWS} rows, Float16 vectors; CPU devices and java. */
    static LayerNormModulate cpu() {
        return new LayerNormModulate("layernorm_modulate_cpu", "layerNormModulateCpu", true);
    }

    // ---------------------------------------------------------------- kernels: GPU shape, a work-group per row

    /**
     * Row {@code groupIdx} (b * T + t) of x [B*T, D]; work-item {@code localIdx} (of {@value #WG})
     * handles columns localIdx, localIdx + WG, ...; the two sums reduce through local memory.
     */
    public static void layerNormModulate(KernelContext ctx, FloatArray x, FloatArray gamma, FloatArray beta,
                                         FloatArray mod, FloatArray out, int B, int T, int D, float eps, int affine,
                                         int modulate, int modStride, int shiftOffset, int scaleOffset) {
        float[] red = ctx.allocateFloatLocalArray(WG);
        int row = ctx.groupIdx;
        int lid = ctx.localIdx;
        long xr = (long) row * D; // first element of the row, in x and out

        // long i: i + WG cannot wrap below the int bound D, so the C compiler can count the trips
        float s = 0f;
        for (long i = lid; i < D; i += WG) {
            s += x.get(xr + i);
        }
        float mean = blockSum(ctx, red, lid, s) / D;

        float v = 0f;
        for (long i = lid; i < D; i += WG) {
            float c = x.get(xr + i) - mean;
            v = KernelMath.fma(c, c, v);
        }
        float rstd = KernelMath.rsqrt(blockSum(ctx, red, lid, v) / D + eps);

        long modRow = (long) (row / T) * modStride;
        long shift = modRow + shiftOffset, scale = modRow + scaleOffset;
        for (long i = lid; i < D; i += WG) {
            float h = (x.get(xr + i) - mean) * rstd;
            if (affine != 0) {
                h = KernelMath.fma(h, gamma.get(i), beta.get(i));
            }
            if (modulate != 0) {
                h = KernelMath.fma(h, 1f + mod.get(scale + i), mod.get(shift + i));
            }
            out.set(xr + i, h);
        }
    }

    /** The sum of v over the work-group's {@value #WG} work-items, a tree in red [WG]; every work-item gets it. */
    private static float blockSum(KernelContext ctx, float[] red, int lid, float v) {
        red[lid] = v;
        ctx.localBarrier();
        for (int w = WG / 2; w > 0; w >>= 1) {
            if (lid < w) {
                red[lid] += red[lid + w];
            }
            ctx.localBarrier();
        }
        float total = red[0];
        ctx.localBarrier(); // every work-item has read red[0] before red is written again
        return total;
    }

    // ---------------------------------------------------------------- kernels: CPU shape, Float16 over whole rows

    /**
     * Rows globalIdx * {@value #CPU_ROWS} .. + CPU_ROWS - 1 (those below B*T) of x [B*T, D], each in
     * three passes over the row (D*4 bytes, 1.5 KiB at D = 384, so it stays in L1): sum, sum of
     * squared deviations (Float16 accumulators, one horizontal sum each), then normalise + affine +
     * modulate + store, 16 columns at a time, a scalar tail for D % 16.
     */
    public static void layerNormModulateCpu(KernelContext ctx, FloatArray x, FloatArray gamma, FloatArray beta,
                                            FloatArray mod, FloatArray out, int B, int T, int D, float eps, int affine,
                                            int modulate, int modStride, int shiftOffset, int scaleOffset) {
        int rows = B * T;
        int r0 = ctx.globalIdx * CPU_ROWS;
        int d16 = D & ~15;
        Float16 zero = Float16.broadcast(0f);
        Float16 one = Float16.broadcast(1f);
        for (int row = r0; row < r0 + CPU_ROWS && row < rows; row++) {
            long xr = (long) row * D; // first element of the row, in x and out

            Float16 s16 = zero;
            for (int i = 0; i < d16; i += 16) {
                s16 = s16.add(Float16.load(x, xr + i));
            }
            float s = hsum(s16);
            for (int i = d16; i < D; i++) {
                s += x.get(xr + i);
            }
            float mean = s / D;
            Float16 mean16 = Float16.broadcast(mean);

            Float16 v16 = zero;
            for (int i = 0; i < d16; i += 16) {
                Float16 c = Float16.load(x, xr + i).sub(mean16);
                v16 = c.fma(c, v16);
            }
            float v = hsum(v16);
            for (int i = d16; i < D; i++) {
                float c = x.get(xr + i) - mean;
                v = KernelMath.fma(c, c, v);
            }
            float rstd = KernelMath.rsqrt(v / D + eps);
            Float16 rstd16 = Float16.broadcast(rstd);

            long modRow = (long) (row / T) * modStride;
            long shift = modRow + shiftOffset, scale = modRow + scaleOffset;
            for (int i = 0; i < d16; i += 16) {
                Float16 h = Float16.load(x, xr + i).sub(mean16).mul(rstd16);
                if (affine != 0) {
                    h = h.fma(Float16.load(gamma, i), Float16.load(beta, i));
                }
                if (modulate != 0) {
                    h = h.fma(one.add(Float16.load(mod, scale + i)), Float16.load(mod, shift + i));
                }
                h.store(out, xr + i);
            }
            for (int i = d16; i < D; i++) {
                float h = (x.get(xr + i) - mean) * rstd;
                if (affine != 0) {
                    h = KernelMath.fma(h, gamma.get(i), beta.get(i));
                }
                if (modulate != 0) {
                    h = KernelMath.fma(h, 1f + mod.get(scale + i), mod.get(shift + i));
                }
                out.set(xr + i, h);
            }
        }
    }

    /**
     * The 16 lanes' sum in OpenCL's pairwise order, halves added lane by lane down to one:
     * (lo + hi) of 16, of 8, of 4, of 2.
     */
    static float hsum(Float16 v) {
        float a0 = v.get(0) + v.get(8), a1 = v.get(1) + v.get(9), a2 = v.get(2) + v.get(10), a3 = v.get(3) + v.get(11);
        float a4 = v.get(4) + v.get(12), a5 = v.get(5) + v.get(13), a6 = v.get(6) + v.get(14), a7 = v.get(7) + v.get(15);
        float b0 = a0 + a4, b1 = a1 + a5, b2 = a2 + a6, b3 = a3 + a7;
        float c0 = b0 + b2, c1 = b1 + b3;
        return c0 + c1;
    }

    // ---------------------------------------------------------------- descriptor

    private static long rows(Args a) {
        return (long) a.i(B) * a.i(T);
    }

    @Override
    public void checkShapes(Args a) {
        Shapes.positive("B", a.i(B), "T", a.i(T), "D", a.i(D));
        Shapes.intRange("x", rows(a) * a.i(D));
        Shapes.require(a.i(AFFINE) <= 1, "affine is a flag, 0 or 1, given " + a.i(AFFINE));
        Shapes.require(a.i(MODULATE) <= 1, "modulate is a flag, 0 or 1, given " + a.i(MODULATE));
        Shapes.require(Float.isFinite(a.f(EPS)) && a.f(EPS) >= 0, "eps must be finite and >= 0, given " + a.f(EPS));
        if (a.i(MODULATE) == 1) {
            int d = a.i(D), stride = a.i(MOD_STRIDE);
            Shapes.require(a.i(SHIFT) + d <= stride, "shift chunk [shiftOffset, shiftOffset + D) = [" + a.i(SHIFT)
                    + ", " + (a.i(SHIFT) + d) + ") does not fit in a modulation row of modStride = " + stride);
            Shapes.require(a.i(SCALE) + d <= stride, "scale chunk [scaleOffset, scaleOffset + D) = [" + a.i(SCALE)
                    + ", " + (a.i(SCALE) + d) + ") does not fit in a modulation row of modStride = " + stride);
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
}
