/*
 * Seeded standard normal noise from a counter-based generator (Philox4x32-10, Salmon et al. 2011):
 *   out [n]: out[e] = sqrt(-2 ln u1) * cos(2 pi u2), (u1, u2) from the first two words of
 *   Philox4x32-10 with key (seedLo, seedHi) and counter (e, stream[0] + streamOffset, 0, 0);
 *   u1 = ((w0 >> 8) | 1) / 2^24 in (0, 1), u2 = (w1 >> 8) / 2^24 in [0, 1).
 * The same (seed, stream, e) gives the same value on every device; a sampler reads the stream from
 * its device step counter, so no host copy is needed per step.
 *
 * Versions:
 *   v1  (this) one work-item per element, two of Philox's four words used.
 */
#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u
#ifdef IS_CUDA
#define PHILOX_LOG(x) logf(x)
#else
#define PHILOX_LOG(x) log(x)
#endif

KERNEL void philox_normal(GLOBAL float* RESTRICT out, const int n, const int seedLo, const int seedHi,
                          GLOBAL const int* RESTRICT stream, const int streamOffset) {
    const int e = GLOBAL_ID(0);
    if (e >= n) {
        return;
    }
    unsigned int c0 = (unsigned int) e, c1 = (unsigned int) (stream[0] + streamOffset), c2 = 0u, c3 = 0u;
    unsigned int k0 = (unsigned int) seedLo, k1 = (unsigned int) seedHi;
    for (int round = 0; round < 10; round++) {
        const unsigned long p0 = (unsigned long) PHILOX_M0 * c0;
        const unsigned long p1 = (unsigned long) PHILOX_M1 * c2;
        const unsigned int hi0 = (unsigned int) (p0 >> 32), lo0 = (unsigned int) p0;
        const unsigned int hi1 = (unsigned int) (p1 >> 32), lo1 = (unsigned int) p1;
        c0 = hi1 ^ c1 ^ k0;
        c1 = lo1;
        c2 = hi0 ^ c3 ^ k1;
        c3 = lo0;
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    const float u1 = (float) ((c0 >> 8) | 1u) * (1.0f / 16777216.0f);
    const float u2 = (float) (c1 >> 8) * (1.0f / 16777216.0f);
    out[e] = SQRT(-2.0f * PHILOX_LOG(u1)) * COS(6.2831855f * u2);
}
