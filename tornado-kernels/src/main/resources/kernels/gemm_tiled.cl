/*
 * out[M, N] = epilogue(A[M, K] * W[N, K]^T + bias[N]): the portable GEMM (GPUs, any target).
 *
 * W is packed as for gemm_cpu (panels of 32 columns, K-major: Wp[p][k][j] = W[32p + j][k],
 * zero-padded past N), so one upload serves every GEMM kernel. A 16 x 16 work-group computes
 * a 64 x 64 tile of out, each work-item a 4 x 4 block strided by 16, staging 64 x 16 slices
 * of A and W in local memory per step of 16 along K. Any M, N, K: loads past M or K read 0,
 * stores past M or N are skipped.
 *
 * Versions:
 *   v1  one work-item per output, dot product over K from global memory.
 *   v2  16 x 16 groups, 4 x 4 register blocks, local-memory slices: ~8x fewer global loads
 *       per FMA than v1 (12 GFLOP/s on PoCL at 1024^3: local memory is slow on CPUs, which
 *       is why the CPU has gemm_cpu).
 *   v3  (this) reads the packed weights (coalesced along a panel row) and fuses epilogues.
 */
#include "gemm_epilogue.h"

#define TM 64
#define TN 64
#define TK 16
#define NR 32

KERNEL WG_SIZE(16, 16, 1)
void gemm_tiled(GLOBAL const float* RESTRICT A, GLOBAL const float* RESTRICT Wp, GLOBAL const float* RESTRICT bias,
                GLOBAL float* RESTRICT out, const int M, const int N, const int K GATE_PARAMS) {
    LOCAL_ARRAY(float, As, TK * TM); /* As[k][m] */
    LOCAL_ARRAY(float, Ws, TK * TN); /* Ws[k][n] */
    const int tx = LOCAL_ID(0);      /* along N */
    const int ty = LOCAL_ID(1);      /* along M */
    const int n0 = GROUP_ID(0) * TN;
    const int m0 = GROUP_ID(1) * TM;
    const int lid = ty * 16 + tx;
    const int padded = (N + NR - 1) / NR * NR;
    float acc[4][4];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            acc[i][j] = 0.0f;
    for (int k0 = 0; k0 < K; k0 += TK) {
        /* 256 work-items load 64 x 16 of A (consecutive k) and 16 x 64 of W (consecutive n). */
        for (int r = 0; r < 4; r++) {
            const int e = lid + r * 256;   /* 0..1023 */
            const int row = e / TK, kk = e % TK;
            const int gm = m0 + row, gk = k0 + kk;
            As[kk * TM + row] = (gm < M && gk < K) ? A[(long) gm * K + gk] : 0.0f;
            const int wk = e / TN, wn = e % TN;
            const int gn = n0 + wn, wgk = k0 + wk;
            Ws[wk * TN + wn] = (gn < padded && wgk < K) ? Wp[((long) (gn / NR) * K + wgk) * NR + gn % NR] : 0.0f;
        }
        BARRIER();
        for (int kk = 0; kk < TK; kk++) {
            float a[4], w[4];
            for (int i = 0; i < 4; i++) a[i] = As[kk * TM + ty + 16 * i];
            for (int j = 0; j < 4; j++) w[j] = Ws[kk * TN + tx + 16 * j];
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++)
                    acc[i][j] += a[i] * w[j];
        }
        BARRIER();
    }
    for (int i = 0; i < 4; i++) {
        const int m = m0 + ty + 16 * i;
        if (m >= M) continue;
        for (int j = 0; j < 4; j++) {
            const int n = n0 + tx + 16 * j;
            if (n >= N) continue;
            float x = acc[i][j] + bias[n];
            GLOBAL float* o = out + (long) m * N + n;
#if EPILOGUE == 1
            x = 0.5f * x * (1.0f + TANH(GELU_K0 * (x + GELU_K1 * x * x * x)));
#elif EPILOGUE == 2
            x = *o + x;
#elif EPILOGUE == 3
            x = *o + gate[(long) (m / rowsPerSample) * gateStride + gateOffset + n] * x;
#endif
            *o = x;
        }
    }
}
