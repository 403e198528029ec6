/*
 * out[M, N] = A[M, K] * W[N, K]^T + bias[N]   (W in PyTorch's Linear layout, row-major)
 *
 * Portable tiled GEMM for GPUs and any OpenCL/CUDA device: a 16 x 16 work-group computes a
 * 64 x 64 tile of out, each work-item a 4 x 4 block, staging 64 x 16 panels of A and W in
 * local memory per step of 16 along K. Any M, N, K: loads outside the matrices read 0 and
 * stores outside are skipped.
 *
 * Versions:
 *   v1  one work-item per output, dot product over K from global memory.
 *   v2  (this) 16 x 16 groups, 4 x 4 register blocks, local-memory panels: ~8x fewer global
 *       loads per FMA than v1.
 */
#define TM 64
#define TN 64
#define TK 16

KERNEL WG_SIZE(16, 16, 1)
void gemm_tiled(GLOBAL const float* RESTRICT A, GLOBAL const float* RESTRICT W, GLOBAL const float* RESTRICT bias,
                GLOBAL float* RESTRICT out, const int M, const int N, const int K) {
    LOCAL_ARRAY(float, As, TK * TM); /* As[k][m] */
    LOCAL_ARRAY(float, Ws, TK * TN); /* Ws[k][n] */
    const int tx = LOCAL_ID(0);      /* along N */
    const int ty = LOCAL_ID(1);      /* along M */
    const int n0 = GROUP_ID(0) * TN;
    const int m0 = GROUP_ID(1) * TM;
    const int lid = ty * 16 + tx;
    float acc[4][4];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            acc[i][j] = 0.0f;
    for (int k0 = 0; k0 < K; k0 += TK) {
        /* 256 work-items load 64 x 16 of A and of W: 4 elements each. */
        for (int r = 0; r < 4; r++) {
            const int e = lid + r * 256;   /* 0..1023 */
            const int row = e / TK;        /* 0..63 */
            const int kk = e % TK;
            const int gm = m0 + row, gn = n0 + row, gk = k0 + kk;
            As[kk * TM + row] = (gm < M && gk < K) ? A[(long) gm * K + gk] : 0.0f;
            Ws[kk * TN + row] = (gn < N && gk < K) ? W[(long) gn * K + gk] : 0.0f;
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
            if (n < N) out[(long) m * N + n] = acc[i][j] + bias[n];
        }
    }
}
