/*
 * In-context conditioning: two condition tokens appended after the image tokens.
 *   x [B, T, D], tEmb [B, D], yEmb [B, D] -> out [B, T+2, D]
 *   out[b, t] = x[b, t] (t < T), out[b, T] = tEmb[b], out[b, T+1] = yEmb[b]
 *
 * Versions:
 *   v1  (this) one work-item per output element.
 */
KERNEL void append_tokens(GLOBAL const float* RESTRICT x, GLOBAL const float* RESTRICT tEmb,
                          GLOBAL const float* RESTRICT yEmb, GLOBAL float* RESTRICT out, const int B, const int T,
                          const int D) {
    const int e = GLOBAL_ID(0);
    const int T2 = T + 2;
    if (e >= B * T2 * D) {
        return;
    }
    const int d = e % D;
    const int t = e / D % T2;
    const int b = e / (D * T2);
    out[e] = t < T ? x[((long) b * T + t) * D + d] : t == T ? tEmb[(long) b * D + d] : yEmb[(long) b * D + d];
}
