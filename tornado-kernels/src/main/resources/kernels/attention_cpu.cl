/*
 * Multi-head self-attention for OpenCL CPU devices (PoCL): same contract as attention.cl,
 *   qkv [B, T, 3, H, hd] -> out [B, T, D], out = softmax(scale * q k^T) v per (b, h).
 * OpenCL only (float16 vectors): not part of the portable subset; GPUs use attention.cl.
 *
 * One work-item (work-group of 1, so PoCL runs no work-item loops) per (b, h, block of QB=16
 * queries). Everything is vectorised ACROSS the 16 queries of the block, which needs no
 * horizontal sums and no transposes in the inner loops:
 *   qt[d]  = float16 of q[q0 .. q0+15][d] * scale     (transposed once, private)
 *   s_j    = sum_d qt[d] * k[j][d]                    (16 keys at a time: 16 float16 FMA chains)
 *   online softmax per query lane: m, l float16, p_j = exp(s_j - m)
 *   ot[d]  = ot[d] * corr + sum_j p_j * v[j][d]       (k, v elements broadcast from memory)
 * Tail keys of the last block are clamped in address and masked to -inf; tail queries are
 * computed on zeros and not stored. Any T >= 1, 1 <= hd <= HDMAX.
 *
 * Versions:
 *   v1  (this) work-item per 16-query block, vectorised across queries, 16-key blocks.
 *       PoCL, 2 cores AVX-512, B=8 H=6 T=256 hd=64: 9.1-9.7 ms = 83-87 GFLOP/s (4 T^2 hd flops
 *       per head), 9x attention.cl. native_exp instead of exp: +2-3%, not taken (accuracy is
 *       implementation-defined). Next to try: 32 queries x 8 keys per step (each broadcast
 *       k/v element feeds two FMAs, 10 loads per 16 FMAs instead of 17 per 16).
 */
#define QB 16
#define KB 16
#define HDMAX 128

__kernel __attribute__((reqd_work_group_size(1, 1, 1)))
void attention_cpu(__global const float* restrict qkv, __global float* restrict out, const int B, const int T,
                   const int H, const int hd, const float scale) {
    const int qblocks = (T + QB - 1) / QB;
    const int gid = get_global_id(0);
    const int q0 = (gid % qblocks) * QB;
    const int b = gid / qblocks / H;
    const int h = gid / qblocks % H;
    const int D = H * hd;
    const int rs = 3 * D;
    __global const float* base = qkv + (long) b * T * rs + h * hd;

    float qt[HDMAX * QB]; /* qt[d][i] */
    float ot[HDMAX * QB]; /* ot[d][i] */
    for (int d = 0; d < hd; d++) {
        for (int i = 0; i < QB; i++) {
            qt[d * QB + i] = q0 + i < T ? base[(long) (q0 + i) * rs + d] * scale : 0.0f;
            ot[d * QB + i] = 0.0f;
        }
    }
    float16 m = (float16) (-INFINITY);
    float16 l = (float16) (0.0f);

    for (int k0 = 0; k0 < T; k0 += KB) {
        __global const float* kr[KB];
        for (int j = 0; j < KB; j++) {
            kr[j] = base + (long) min(k0 + j, T - 1) * rs + D;
        }
        float16 s[KB];
        for (int j = 0; j < KB; j++) {
            s[j] = (float16) (0.0f);
        }
        for (int d = 0; d < hd; d++) {
            const float16 qd = vload16(d, qt);
            for (int j = 0; j < KB; j++) {
                s[j] = fma(qd, (float16) (kr[j][d]), s[j]);
            }
        }
        float16 mt = m;
        for (int j = 0; j < KB; j++) {
            if (k0 + j >= T) {
                s[j] = (float16) (-INFINITY);
            }
            mt = fmax(mt, s[j]);
        }
        const float16 corr = exp(m - mt);
        l *= corr;
        for (int j = 0; j < KB; j++) {
            s[j] = exp(s[j] - mt); /* now p_j */
            l += s[j];
        }
        m = mt;
        for (int d = 0; d < hd; d++) {
            float16 o = vload16(d, ot) * corr;
            for (int j = 0; j < KB; j++) {
                o = fma(s[j], (float16) (kr[j][D + d]), o);
            }
            vstore16(o, d, ot);
        }
    }

    float lt[QB];
    vstore16(l, 0, lt);
    for (int i = 0; i < QB && q0 + i < T; i++) {
        __global float* o = out + ((long) b * T + q0 + i) * D + h * hd;
        const float inv = 1.0f / lt[i];
        for (int d = 0; d < hd; d++) {
            o[d] = ot[d * QB + i] * inv;
        }
    }
}
