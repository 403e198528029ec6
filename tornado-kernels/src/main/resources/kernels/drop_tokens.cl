/*
 * Drops the two appended condition tokens: x [B, T+2, D] -> out [B, T, D] (the first T tokens).
 *
 * Versions:
 *   v1  (this) one work-item per output element.
 */
KERNEL void drop_tokens(GLOBAL const float* RESTRICT x, GLOBAL float* RESTRICT out, const int B, const int T,
                        const int D) {
    const int e = GLOBAL_ID(0);
    const int TD = T * D;
    if (e < B * TD) {
        out[e] = x[(long) (e / TD) * (TD + 2 * D) + e % TD];
    }
}
