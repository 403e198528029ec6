/*
 * LayerNorm over D, optional affine, optional adaLN modulate, per row of x [B*T, D]:
 *   mean = sum(x) / D;  var = sum((x - mean)^2) / D        (population variance, two passes)
 *   h = (x - mean) / sqrt(var + eps)
 *   if affine:   h = h * gamma[i] + beta[i]                (gamma, beta [D])
 *   if modulate: h = h * (1 + scale[b][i]) + shift[b][i]   (b = row / T)
 *     with shift[b][i] = mod[b * modStride + shiftOffset + i], scale likewise: the adaLN
 *     linear's output [B, k*D] read in place, chunk offsets in elements.
 *   out [B*T, D] = h
 *
 * One work-group of LN_WG work-items per row; work-item i handles columns i, i + LN_WG, ...
 * Sums reduce through a local-memory tree. Any D >= 1.
 *
 * Versions:
 *   v1  (this) work-group per row, two-pass mean/variance with tree reductions; x is read
 *       three times, from cache after the first (a row is D*4 bytes). LN_WG = 32 (one warp
 *       per row on GPUs). On PoCL (2 cores, rows = 2048, D = 384): 128 work-items 2.7 ms,
 *       64 1.5, 32 1.45, 16 1.65. Tried and dropped: loops with work-group-uniform trip counts
 *       (so PoCL vectorises across work-items) 2.1 ms; one barrier with every work-item adding
 *       all partials instead of the tree, 1.5 ms at 16 and worse above. The cost on CPUs is
 *       per-group overhead and barriers, not bandwidth: CPUs now use layernorm_modulate_cpu.cl
 *       (work-item per 4 rows, float16: ~0.22-0.34 ms, >= 0.66 of copy bandwidth); this source
 *       stays the GPU one.
 */
#ifndef LN_WG
#define LN_WG 32
#endif

INLINE float ln_block_sum(LOCAL_PTR float* red, const int lid, const float v) {
    red[lid] = v;
    BARRIER();
    for (int w = LN_WG / 2; w > 0; w >>= 1) {
        if (lid < w) {
            red[lid] += red[lid + w];
        }
        BARRIER();
    }
    const float total = red[0];
    BARRIER(); /* every work-item has read red[0] before red is written again */
    return total;
}

KERNEL WG_SIZE(LN_WG, 1, 1)
void layernorm_modulate(GLOBAL const float* RESTRICT x, GLOBAL const float* RESTRICT gamma,
                        GLOBAL const float* RESTRICT beta, GLOBAL const float* RESTRICT mod,
                        GLOBAL float* RESTRICT out, const int B, const int T, const int D, const float eps,
                        const int affine, const int modulate, const int modStride, const int shiftOffset,
                        const int scaleOffset) {
    LOCAL_ARRAY(float, red, LN_WG);
    const int row = GROUP_ID(0); /* b * T + t */
    const int lid = LOCAL_ID(0);
    GLOBAL const float* xr = x + (long) row * D;
    GLOBAL float* hr = out + (long) row * D;

    float s = 0.0f;
    for (int i = lid; i < D; i += LN_WG) {
        s += xr[i];
    }
    const float mean = ln_block_sum(red, lid, s) / (float) D;

    float v = 0.0f;
    for (int i = lid; i < D; i += LN_WG) {
        const float c = xr[i] - mean;
        v += c * c;
    }
    const float rstd = RSQRT(ln_block_sum(red, lid, v) / (float) D + eps);

    GLOBAL const float* shift = mod + (long) (row / T) * modStride + shiftOffset;
    GLOBAL const float* scale = mod + (long) (row / T) * modStride + scaleOffset;
    for (int i = lid; i < D; i += LN_WG) {
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
