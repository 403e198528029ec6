/*
 * out[M, N] = epilogue(bf16(A)[M, K] * bf16(W)[N, K]^T + bias[N]) with fp32 accumulation, on
 * NVIDIA tensor cores (sm_80+). CUDA only (inline PTX mma.sync): the reduced-precision option;
 * fp32 gemm_tiled stays the default and the reference.
 *
 * Contract (GemmBf16): A fp32 activations [M, K], rounded to bf16 (round to nearest even) as
 * they are staged in shared memory; W packed once at upload by GemmWeights.packBf16 as bf16
 * pairs, row-major [N][ceil(K/2)] 32-bit words (low half = even k, high half = odd k, an odd K
 * padded with a zero), half the bytes of the fp32 panels; bias, out and the epilogues as in
 * gemm_tiled (gemm_epilogue.h, -DEPILOGUE=n). Any M, N, K >= 1.
 *
 * A block of 128 threads (4 warps, 2 x 2) computes a 64 x 64 tile of out; each warp a 32 x 32
 * sub-tile as 2 x 4 mma.m16n8k16 tiles (32 fp32 accumulators per thread). Per step of 32
 * along K the block stages A (64 x 32, converted to bf16x2) and W (64 x 32 bf16) in shared
 * memory as 32-bit words, rows padded to 20 words so the fragment loads (8 rows x 4 words
 * per warp) hit 32 distinct banks.
 *
 * mma.m16n8k16.row.col fragments (PTX ISA, g = lane / 4, t = lane % 4, one word = 2 bf16):
 *   A: a0 = A[g][2t..], a1 = A[g+8][2t..], a2 = A[g][2t+8..], a3 = A[g+8][2t+8..]
 *   B: b0 = B[k=2t..][n=g], b1 = B[k=2t+8..][n=g]     (B = W^T: a row of W is a column of B)
 *   C: c0,c1 = C[g][2t, 2t+1], c2,c3 = C[g+8][2t, 2t+1]
 *
 * Versions:
 *   v1  (this) synchronous staging, one buffer. Not yet run on a GPU (none was available when
 *       it was written): checked by nvcc + ptxas for sm_80/sm_90 only. Next: cp.async double
 *       buffering, 128 x 128 tiles with 8 warps, ldmatrix.
 */
#include "gemm_epilogue.h"

#define BM 64
#define BN 64
#define BK 32
#define SW 20 /* words per staged row: BK / 2 = 16, padded */

/* Two floats to one bf16x2 word, round to nearest even: lo in bits 0..15, hi in 16..31. */
__device__ __forceinline__ unsigned int ditvm_bf16x2(float lo, float hi) {
    unsigned int r;
    asm("cvt.rn.bf16x2.f32 %0, %1, %2;" : "=r"(r) : "f"(hi), "f"(lo));
    return r;
}

__device__ __forceinline__ void ditvm_mma_bf16(float* c, const unsigned int* a, const unsigned int* b) {
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 "
                 "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};"
                 : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
}

__device__ __forceinline__ void ditvm_store(float* RESTRICT out, const float* RESTRICT bias, const int m, const int n,
                                            const int M, const int N, float x, const float* RESTRICT gate,
                                            const int gateStride, const int gateOffset, const int rowsPerSample) {
    if (m >= M || n >= N) return;
    x += bias[n];
    float* o = out + (long) m * N + n;
#if EPILOGUE == 1
    x = 0.5f * x * (1.0f + TANH(GELU_K0 * (x + GELU_K1 * x * x * x)));
#elif EPILOGUE == 2
    x = *o + x;
#elif EPILOGUE == 3
    x = *o + gate[(long) (m / rowsPerSample) * gateStride + gateOffset + n] * x;
#endif
    *o = x;
}

#if EPILOGUE == 3
#define GATE_ARGS gate, gateStride, gateOffset, rowsPerSample
#else
#define GATE_ARGS (const float*) 0, 0, 0, 1
#endif

KERNEL WG_SIZE(128, 1, 1)
void gemm_bf16(GLOBAL const float* RESTRICT A, GLOBAL const unsigned int* RESTRICT Wb, GLOBAL const float* RESTRICT bias,
               GLOBAL float* RESTRICT out, const int M, const int N, const int K GATE_PARAMS) {
    __shared__ unsigned int As[BM * SW]; /* As[m][k/2] */
    __shared__ unsigned int Ws[BN * SW]; /* Ws[n][k/2] */
    const int tid = threadIdx.x;
    const int lane = tid & 31, warp = tid >> 5;
    const int g = lane >> 2, t = lane & 3;
    const int wm = (warp >> 1) * 32, wn = (warp & 1) * 32;
    const int n0 = blockIdx.x * BN, m0 = blockIdx.y * BM;
    const int kw = (K + 1) / 2; /* words per row of Wb */

    float acc[2][4][4];
    #pragma unroll
    for (int i = 0; i < 2; i++)
        #pragma unroll
        for (int j = 0; j < 4; j++)
            #pragma unroll
            for (int r = 0; r < 4; r++)
                acc[i][j][r] = 0.0f;

    #pragma unroll

    for (int k0 = 0; k0 < K; k0 += BK) {
        /* 128 threads stage 64 rows x 16 words of each operand: 8 words each, 16 threads per row. */
        #pragma unroll
        for (int r = 0; r < 8; r++) {
            const int e = tid + 128 * r;
            const int row = e >> 4, w = e & 15;
            const int gm = m0 + row, k = k0 + 2 * w;
            const float* a = A + (long) gm * K + k;
            const float lo = (gm < M && k < K) ? a[0] : 0.0f;
            const float hi = (gm < M && k + 1 < K) ? a[1] : 0.0f;
            As[row * SW + w] = ditvm_bf16x2(lo, hi);
            const int gn = n0 + row, gw = k0 / 2 + w;
            Ws[row * SW + w] = (gn < N && gw < kw) ? Wb[(long) gn * kw + gw] : 0u;
        }
        __syncthreads();
        #pragma unroll
        for (int ks = 0; ks < BK / 2; ks += 8) { /* two k16 steps, 8 words each */
            unsigned int af[2][4], bf[4][2];
            #pragma unroll
            for (int i = 0; i < 2; i++) {
                const int r = (wm + 16 * i + g) * SW + ks + t;
                af[i][0] = As[r];
                af[i][1] = As[r + 8 * SW];
                af[i][2] = As[r + 4];
                af[i][3] = As[r + 8 * SW + 4];
            }
            #pragma unroll
            for (int j = 0; j < 4; j++) {
                const int c = (wn + 8 * j + g) * SW + ks + t;
                bf[j][0] = Ws[c];
                bf[j][1] = Ws[c + 4];
            }
            #pragma unroll
            for (int i = 0; i < 2; i++)
                #pragma unroll
                for (int j = 0; j < 4; j++)
                    ditvm_mma_bf16(acc[i][j], af[i], bf[j]);
        }
        __syncthreads();
    }

    #pragma unroll
    for (int i = 0; i < 2; i++) {
        const int m = m0 + wm + 16 * i + g;
        #pragma unroll
        for (int j = 0; j < 4; j++) {
            const int n = n0 + wn + 8 * j + 2 * t;
            ditvm_store(out, bias, m, n, M, N, acc[i][j][0], GATE_ARGS);
            ditvm_store(out, bias, m, n + 1, M, N, acc[i][j][1], GATE_ARGS);
            ditvm_store(out, bias, m + 8, n, M, N, acc[i][j][2], GATE_ARGS);
            ditvm_store(out, bias, m + 8, n + 1, M, N, acc[i][j][3], GATE_ARGS);
        }
    }
}
