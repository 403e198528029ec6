/*
 * Sinusoidal timestep embedding (DiT's TimestepEmbedder, before its MLP):
 *   t [B] (float, may be fractional) -> out [B, dim], nh = dim / 2 (half is a type in OpenCL)
 *   f_k = exp(-ln(10000) * k / nh), k < nh, in float32
 *   out[b] = [cos(t[b] f_k) for k] ++ [sin(t[b] f_k) for k]      (cosine half first)
 *
 * Versions:
 *   v1  (this) one work-item per (b, k), writing both halves.
 */
KERNEL void timestep_embed(GLOBAL const float* RESTRICT t, GLOBAL float* RESTRICT out, const int B, const int dim) {
    const int e = GLOBAL_ID(0);
    const int nh = dim / 2;
    if (e >= B * nh) {
        return;
    }
    const int b = e / nh;
    const int k = e % nh;
    const float f = EXP(-9.210340371976184f * (float) k / (float) nh);
    const float a = t[b] * f;
    out[(long) b * dim + k] = COS(a);
    out[(long) b * dim + nh + k] = SIN(a);
}
