/*
 * Multi-head self-attention for OpenCL CPU devices (PoCL): same contract as attention.cl,
 *   qkv [B, T, 3, H, hd] -> out [B, T, D], out = softmax(scale * q k^T) v per (b, h).
 * OpenCL only (float16 vectors): not part of the portable subset; GPUs use attention.cl.
 *
 * One work-item (work-group of 1, so PoCL runs no work-item loops) per (b, h, block of QB=32
 * queries). Everything is vectorised ACROSS the queries of the block (two float16 halves),
 * which needs no horizontal sums and no transposes in the inner loops:
 *   qt[d]  = 2 float16 of q[q0 .. q0+31][d] * scale   (transposed once, private)
 *   s_j    = sum_d qt[d] * k[j][d]                    (KB=8 keys at a time: 16 float16 FMA chains)
 *   online softmax per query lane: m, l float16 x 2, p_j = exp(s_j - m)
 *   ot[d]  = ot[d] * corr + sum_j p_j * v[j][d]       (k, v elements broadcast from memory,
 *                                                      each feeding two FMAs)
 * Tail keys of the last block are clamped in address and masked to -inf; tail queries are
 * computed on zeros and not stored. Any T >= 1, 1 <= hd <= HDMAX.
 *
 * Versions:
 *   v1  work-item per 16-query block, vectorised across queries, 16-key blocks.
 *       PoCL, 2 cores AVX-512, B=8 H=6 T=256 hd=64: 9.1-9.7 ms = 83-87 GFLOP/s (4 T^2 hd flops
 *       per head), 9x attention.cl. native_exp instead of exp: +2-3%, not taken (accuracy is
 *       implementation-defined).
 *   v2  (this) 32 queries x 8 keys per step: each broadcast k / v element feeds two FMAs
 *       (10 loads per 16 FMAs instead of 17 per 16), still 16 + 2 float16 live in the QK loop.
 *       Same machine and shape, same session: v1 9.45-9.53 ms (85 GFLOP/s), v2 6.71-6.83 ms
 *       (118-120 GFLOP/s), +40%; GEMM 2048x1152x384 then ran 235-258 GFLOP/s.
 */
#define QB 32
#define KB 8
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
    float16 m0 = (float16) (-INFINITY), m1 = (float16) (-INFINITY);
    float16 l0 = (float16) (0.0f), l1 = (float16) (0.0f);

    for (int k0 = 0; k0 < T; k0 += KB) {
        __global const float* kr[KB];
        for (int j = 0; j < KB; j++) {
            kr[j] = base + (long) min(k0 + j, T - 1) * rs + D;
        }
        float16 s0[KB], s1[KB];
        for (int j = 0; j < KB; j++) {
            s0[j] = (float16) (0.0f);
            s1[j] = (float16) (0.0f);
        }
        for (int d = 0; d < hd; d++) {
            const float16 qa = vload16(0, qt + d * QB);
            const float16 qb = vload16(0, qt + d * QB + 16);
            for (int j = 0; j < KB; j++) {
                const float16 kv = (float16) (kr[j][d]);
                s0[j] = fma(qa, kv, s0[j]);
                s1[j] = fma(qb, kv, s1[j]);
            }
        }
        float16 mt0 = m0, mt1 = m1;
        for (int j = 0; j < KB; j++) {
            if (k0 + j >= T) {
                s0[j] = (float16) (-INFINITY);
                s1[j] = (float16) (-INFINITY);
            }
            mt0 = fmax(mt0, s0[j]);
            mt1 = fmax(mt1, s1[j]);
        }
        const float16 c0 = exp(m0 - mt0), c1 = exp(m1 - mt1);
        l0 *= c0;
        l1 *= c1;
        for (int j = 0; j < KB; j++) {
            s0[j] = exp(s0[j] - mt0);
            s1[j] = exp(s1[j] - mt1);
            l0 += s0[j];
            l1 += s1[j];
        }
        m0 = mt0;
        m1 = mt1;
        for (int d = 0; d < hd; d++) {
            float16 oa = vload16(0, ot + d * QB) * c0;
            float16 ob = vload16(0, ot + d * QB + 16) * c1;
            for (int j = 0; j < KB; j++) {
                const float16 vv = (float16) (kr[j][D + d]);
                oa = fma(s0[j], vv, oa);
                ob = fma(s1[j], vv, ob);
            }
            vstore16(oa, 0, ot + d * QB);
            vstore16(ob, 0, ot + d * QB + 16);
        }
    }

    float lt[QB];
    vstore16(l0, 0, lt);
    vstore16(l1, 0, lt + 16);
    for (int i = 0; i < QB && q0 + i < T; i++) {
        __global float* o = out + ((long) b * T + q0 + i) * D + h * hd;
        const float inv = 1.0f / lt[i];
        for (int d = 0; d < hd; d++) {
            o[d] = ot[d * QB + i] * inv;
        }
    }
}
