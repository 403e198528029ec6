/*
 * Multi-head cross-attention of T queries on S context tokens:
 *   q   [B, T, D]      (the q linear's output; head h at columns h*hd ..)
 *   kv  [B, S, 2D]     (the kv linear's output per context token: k at columns 0..D-1, v at D..2D-1)
 *   out [B, T, D]      out[b, t, h] = softmax_j(scale * q[b,t,h] . k[b,j,h]) v[b,j,h]
 * D = H * hd. S is small in DiT (2: t_emb, y_emb) but any S >= 1 works.
 *
 * One work-item per (b, t, h). Pass 1 finds the max score and the sum of exp(score - max);
 * pass 2 adds each p_j * v_j straight into the work-item's own output slice, so no private
 * array bounds hd. Scores are computed twice (2 S hd MACs), cheap next to the q and kv linears.
 *
 * Versions:
 *   v1  (this) work-item per (b, t, h), two passes over the S keys.
 */
KERNEL void cross_attention(GLOBAL const float* RESTRICT q, GLOBAL const float* RESTRICT kv, GLOBAL float* RESTRICT out,
                            const int B, const int T, const int S, const int H, const int hd, const float scale) {
    const int gid = GLOBAL_ID(0);
    if (gid >= B * T * H) {
        return;
    }
    const int h = gid % H;
    const int bt = gid / H; /* b * T + t */
    const int b = bt / T;
    const int D = H * hd;
    GLOBAL const float* qr = q + (long) bt * D + h * hd;
    GLOBAL const float* kb = kv + (long) b * S * 2 * D + h * hd;
    GLOBAL float* o = out + (long) bt * D + h * hd;

    float m = -3.0e38f;
    float l = 0.0f;
    for (int j = 0; j < S; j++) {
        GLOBAL const float* k = kb + (long) j * 2 * D;
        float dot = 0.0f;
        for (int d = 0; d < hd; d++) {
            dot += qr[d] * k[d];
        }
        dot *= scale;
        const float mn = FMAX(m, dot);
        l = l * EXP(m - mn) + EXP(dot - mn);
        m = mn;
    }
    for (int d = 0; d < hd; d++) {
        o[d] = 0.0f;
    }
    const float inv = 1.0f / l;
    for (int j = 0; j < S; j++) {
        GLOBAL const float* k = kb + (long) j * 2 * D;
        float dot = 0.0f;
        for (int d = 0; d < hd; d++) {
            dot += qr[d] * k[d];
        }
        const float p = EXP(dot * scale - m) * inv;
        for (int d = 0; d < hd; d++) {
            o[d] += p * k[D + d];
        }
    }
}
