/*
 * out[M, N] = epilogue(A[M, K] * W[N, K]^T + bias[N]) for CPUs (OpenCL only: float16 vectors).
 *
 * W arrives packed once at upload (GemmWeights.pack): panels of 32 output columns, K-major,
 * Wp[p][k][j] = W[32p + j][k], zero-padded past N. One work-item (work-group of one, so the
 * CPU compiler keeps it scalar + explicit vectors) computes a 6 x 32 tile of out in twelve
 * float16 accumulators: per k it loads two float16 rows of the panel and broadcasts six A
 * values, 12 FMAs for 2 vector loads + 6 scalar loads. Rows past M are clamped on load and
 * masked on store, columns past N come from the zero padding and are masked on store.
 *
 * Versions (PoCL 3.1, 2 Xeon cores, AVX-512; GFLOP/s at 2048 x 1152 x 384 / 2048 x 384 x 1536;
 * OpenBLAS 0.3.21 sgemm with its SkylakeX kernels: ~300 / ~308):
 *   v1  local-memory tiles over row-major W (today's gemm_tiled shape):           ~12 / ~12
 *   v2  6 x 32 register tile over K-major packed panels, WG of one, panels in
 *       dimension 0 (so W streams from L3 once per row tile):                    ~260 / ~145-215
 *   v3  (this) the same tile, work-groups walked in groups of panels whose
 *       weights fit in L2 (~1 MiB), row tiles inside a group:                     ~298 / ~311
 *       (results/gemm-pocl.md: 0.97-1.03x OpenBLAS on the DiT-S/2 shapes)
 */
#include "gemm_epilogue.h"

#define MR 6
#define NR 32
#ifndef GROUP_BYTES
#define GROUP_BYTES (1 << 20) /* weights of a panel group, kept in L2 (2 MiB per core here) */
#endif

KERNEL __attribute__((reqd_work_group_size(1, 1, 1)))
void gemm_cpu(GLOBAL const float* RESTRICT A, GLOBAL const float* RESTRICT Wp, GLOBAL const float* RESTRICT bias,
              GLOBAL float* RESTRICT out, const int M, const int N, const int K GATE_PARAMS) {
    /* Work-group order: PoCL hands out consecutive ids; walk them as groups of G panels
     * (about GROUP_BYTES of weights, which stay in L2), row tiles in the middle (the 6 A rows
     * stay in L1 across the group) and the panels of the group innermost. */
    const int panels = get_global_size(0), tiles = get_global_size(1);
    const int PANEL_GROUP = clamp(GROUP_BYTES / (K * NR * 4), 1, panels);
    const int id = get_global_id(0) + get_global_id(1) * panels;
    const int full = panels / PANEL_GROUP;
    const int inFull = full * PANEL_GROUP * tiles;
    const int group = id < inFull ? id / (PANEL_GROUP * tiles) : full;
    const int rem = id < inFull ? id % (PANEL_GROUP * tiles) : id - inFull;
    const int width = id < inFull ? PANEL_GROUP : panels - full * PANEL_GROUP;
    const int panel = group * PANEL_GROUP + rem % width;
    const int m0 = (rem / width) * MR;
    GLOBAL const float* w = Wp + (long) panel * K * NR;
    GLOBAL const float* a0 = A + (long) min(m0 + 0, M - 1) * K;
    GLOBAL const float* a1 = A + (long) min(m0 + 1, M - 1) * K;
    GLOBAL const float* a2 = A + (long) min(m0 + 2, M - 1) * K;
    GLOBAL const float* a3 = A + (long) min(m0 + 3, M - 1) * K;
    GLOBAL const float* a4 = A + (long) min(m0 + 4, M - 1) * K;
    GLOBAL const float* a5 = A + (long) min(m0 + 5, M - 1) * K;
    float16 c00 = 0, c01 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0;
    float16 c30 = 0, c31 = 0, c40 = 0, c41 = 0, c50 = 0, c51 = 0;
    for (int k = 0; k < K; k++) {
        const float16 w0 = vload16(0, w + k * NR);
        const float16 w1 = vload16(0, w + k * NR + 16);
        float a;
        a = a0[k]; c00 = fma((float16) a, w0, c00); c01 = fma((float16) a, w1, c01);
        a = a1[k]; c10 = fma((float16) a, w0, c10); c11 = fma((float16) a, w1, c11);
        a = a2[k]; c20 = fma((float16) a, w0, c20); c21 = fma((float16) a, w1, c21);
        a = a3[k]; c30 = fma((float16) a, w0, c30); c31 = fma((float16) a, w1, c31);
        a = a4[k]; c40 = fma((float16) a, w0, c40); c41 = fma((float16) a, w1, c41);
        a = a5[k]; c50 = fma((float16) a, w0, c50); c51 = fma((float16) a, w1, c51);
    }
    const int n0 = panel * NR;
    float16 acc[2 * MR] = {c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51};
    for (int i = 0; i < MR; i++) {
        const int m = m0 + i;
        if (m >= M) {
            break;
        }
        for (int h = 0; h < 2; h++) {
            const int n = n0 + 16 * h;
            if (n >= N) {
                break;
            }
            float16 v = acc[2 * i + h];
            GLOBAL float* o = out + (long) m * N + n;
            if (n + 16 <= N) {
                v += vload16(0, bias + n);
#if EPILOGUE == 1
                v = 0.5f * v * (1.0f + tanh(GELU_K0 * (v + GELU_K1 * v * v * v)));
#elif EPILOGUE == 2
                v = vload16(0, o) + v;
#elif EPILOGUE == 3
                v = vload16(0, o) + vload16(0, gate + (long) (m / rowsPerSample) * gateStride + gateOffset + n) * v;
#endif
                vstore16(v, 0, o);
            } else {
                float lanes[16];
                vstore16(v, 0, lanes);
                for (int j = 0; j < N - n; j++) {
                    float x = lanes[j] + bias[n + j];
#if EPILOGUE == 1
                    x = 0.5f * x * (1.0f + tanh(GELU_K0 * (x + GELU_K1 * x * x * x)));
#elif EPILOGUE == 2
                    x = o[j] + x;
#elif EPILOGUE == 3
                    x = o[j] + gate[(long) (m / rowsPerSample) * gateStride + gateOffset + n + j] * x;
#endif
                    o[j] = x;
                }
            }
        }
    }
}
