/*
 * out[b, t, d] = x[b, t, d] + pos[t, d].  x, out [B, T, D]; pos [T, D].
 * out may be x itself (in place): each element is read and written by one work-item, so the
 * pointers carry no restrict.
 *
 * Versions:
 *   v1  (this) one work-item per element.
 */
KERNEL void add_pos_embed(GLOBAL const float* x, GLOBAL const float* RESTRICT pos, GLOBAL float* out, const int B,
                          const int T, const int D) {
    const int e = GLOBAL_ID(0);
    const int TD = T * D;
    if (e < B * TD) {
        out[e] = x[e] + pos[e % TD];
    }
}
