/*
 * Multi-head self-attention, portable (GPUs, any OpenCL/CUDA device):
 *   qkv [B, T, 3, H, hd]  (the qkv linear's output [B*T, 3D], D = H*hd)
 *   out [B, T, D]         (heads concatenated: head h at columns h*hd ..)
 *   out[b, t, h] = softmax_j(scale * q[b,t,h] . k[b,j,h]) v[b,j,h]   (scale = 1/sqrt(hd) in DiT)
 *
 * A work-group of AQ work-items takes AQ queries of one (b, h); work-item = one query, its q
 * and output accumulator in private arrays. Keys and values go through local memory in
 * tiles of AK keys; the softmax is online (running max m and sum l per query, accumulator
 * rescaled once per tile), so scores of any size stay finite. Any T >= 1, 1 <= hd <= HDMAX.
 *
 * Versions:
 *   v1  (this) query per work-item, K/V tiles in local memory, online softmax per tile.
 *       PoCL, B=8 H=6 T=256 hd=64: 84 ms = 9.5 GFLOP/s (PoCL runs the inner loops scalar);
 *       on CPUs use attention_cpu.cl (OpenCL only), 9x faster there.
 */
#define AQ 64
#define AK 32
#define HDMAX 128

KERNEL WG_SIZE(AQ, 1, 1)
void attention(GLOBAL const float* RESTRICT qkv, GLOBAL float* RESTRICT out, const int B, const int T, const int H,
               const int hd, const float scale) {
    LOCAL_ARRAY(float, Ks, AK * HDMAX); /* Ks[j][d] */
    LOCAL_ARRAY(float, Vs, AK * HDMAX);
    const int lid = LOCAL_ID(0);
    const int qi = GROUP_ID(0) * AQ + lid;
    const int b = GROUP_ID(1) / H;
    const int h = GROUP_ID(1) % H;
    const int D = H * hd;
    const int rs = 3 * D; /* elements per token row of qkv */
    GLOBAL const float* base = qkv + (long) b * T * rs + h * hd;
    const bool valid = qi < T;

    float q[HDMAX];
    float acc[HDMAX];
    for (int d = 0; d < hd; d++) {
        q[d] = valid ? base[(long) qi * rs + d] * scale : 0.0f;
        acc[d] = 0.0f;
    }
    float m = -3.0e38f; /* running max of scores; exp(m - anything finite) underflows to 0 */
    float l = 0.0f;     /* running sum of exp(score - m) */
    float s[AK];

    for (int k0 = 0; k0 < T; k0 += AK) {
        const int nk = MIN_INT(AK, T - k0);
        for (int e = lid; e < nk * hd; e += AQ) {
            const int j = e / hd;
            const int d = e - j * hd;
            GLOBAL const float* row = base + (long) (k0 + j) * rs;
            Ks[j * hd + d] = row[D + d];
            Vs[j * hd + d] = row[2 * D + d];
        }
        BARRIER();
        float mt = m;
        for (int j = 0; j < nk; j++) {
            float dot = 0.0f;
            for (int d = 0; d < hd; d++) {
                dot += q[d] * Ks[j * hd + d];
            }
            s[j] = dot;
            mt = FMAX(mt, dot);
        }
        const float corr = EXP(m - mt);
        l *= corr;
        for (int d = 0; d < hd; d++) {
            acc[d] *= corr;
        }
        for (int j = 0; j < nk; j++) {
            const float p = EXP(s[j] - mt);
            l += p;
            for (int d = 0; d < hd; d++) {
                acc[d] += p * Vs[j * hd + d];
            }
        }
        m = mt;
        BARRIER(); /* the tile is read by all before the next one overwrites it */
    }
    if (valid) {
        GLOBAL float* o = out + ((long) b * T + qi) * D + h * hd;
        const float inv = 1.0f / l;
        for (int d = 0; d < hd; d++) {
            o[d] = acc[d] * inv;
        }
    }
}
