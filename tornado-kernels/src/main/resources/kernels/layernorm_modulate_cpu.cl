/*
 * LayerNorm + optional affine + optional adaLN modulate for OpenCL CPU devices (PoCL): same
 * contract as layernorm_modulate.cl,
 *   h = (x - mean) / sqrt(var + eps) [* gamma + beta] [* (1 + scale[b]) + shift[b]], b = row / T,
 * per row of x [B*T, D], population variance from two passes. OpenCL only (float16 vectors);
 * GPUs use layernorm_modulate.cl.
 *
 * One work-item (work-group of 1, so PoCL runs no work-item loops and needs no barriers) per
 * LN_ROWS whole rows. A row (D*4 bytes, 1.5 KiB at D = 384) stays in L1 across the three passes:
 * sum, sum of squared deviations (both in float16 accumulators, one horizontal sum each), then
 * normalise + affine + modulate + store, 16 columns at a time, scalar tail for D % 16.
 *
 * Versions (PoCL, 2 cores AVX-512, rows = 2048, D = 384, modulate; copy of the same bytes: see
 * results/kernels-pocl.md):
 *   v1  layernorm_modulate.cl, work-group of 32 per row, tree reductions: ~1.45 ms.
 *   v2  (this) work-item per LN_ROWS = 4 rows, float16, no barriers: 0.22-0.26 ms quiet
 *       (24-29 GB/s, about the copy kernel's 28-29 GB/s), 0.34 ms with the machine loaded
 *       (18 GB/s = 0.68 of copy's 27 in the same run): ~6-9x v1.
 */
#ifndef LN_ROWS
#define LN_ROWS 4
#endif

INLINE float ln_hsum16(const float16 v) {
    const float8 a = v.lo + v.hi;
    const float4 b = a.lo + a.hi;
    const float2 c = b.lo + b.hi;
    return c.x + c.y;
}

KERNEL __attribute__((reqd_work_group_size(1, 1, 1)))
void layernorm_modulate_cpu(GLOBAL const float* RESTRICT x, GLOBAL const float* RESTRICT gamma,
                            GLOBAL const float* RESTRICT beta, GLOBAL const float* RESTRICT mod,
                            GLOBAL float* RESTRICT out, const int B, const int T, const int D, const float eps,
                            const int affine, const int modulate, const int modStride, const int shiftOffset,
                            const int scaleOffset) {
    const int rows = B * T;
    const int r0 = get_global_id(0) * LN_ROWS;
    const int d16 = D & ~15;
    for (int row = r0; row < r0 + LN_ROWS && row < rows; row++) {
        GLOBAL const float* xr = x + (long) row * D;
        GLOBAL float* hr = out + (long) row * D;

        float16 s16 = (float16) (0.0f);
        for (int i = 0; i < d16; i += 16) {
            s16 += vload16(0, xr + i);
        }
        float s = ln_hsum16(s16);
        for (int i = d16; i < D; i++) {
            s += xr[i];
        }
        const float mean = s / (float) D;

        float16 v16 = (float16) (0.0f);
        for (int i = 0; i < d16; i += 16) {
            const float16 c = vload16(0, xr + i) - mean;
            v16 = fma(c, c, v16);
        }
        float v = ln_hsum16(v16);
        for (int i = d16; i < D; i++) {
            const float c = xr[i] - mean;
            v = fma(c, c, v);
        }
        const float rstd = rsqrt(v / (float) D + eps);

        GLOBAL const float* shift = mod + (long) (row / T) * modStride + shiftOffset;
        GLOBAL const float* scale = mod + (long) (row / T) * modStride + scaleOffset;
        for (int i = 0; i < d16; i += 16) {
            float16 h = (vload16(0, xr + i) - mean) * rstd;
            if (affine) {
                h = fma(h, vload16(0, gamma + i), vload16(0, beta + i));
            }
            if (modulate) {
                h = fma(h, 1.0f + vload16(0, scale + i), vload16(0, shift + i));
            }
            vstore16(h, 0, hr + i);
        }
        for (int i = d16; i < D; i++) {
            float h = (xr[i] - mean) * rstd;
            if (affine) {
                h = h * gamma[i] + beta[i];
            }
            if (modulate) {
                h = h * (1.0f + scale[i]) + shift[i];
            }
            hr[i] = h;
        }
    }
}
