/*
 * out[i] = silu(in[i]) = in[i] / (1 + exp(-in[i])), i < n. in, out [n], separate arrays.
 *
 * Versions:
 *   v1  (this) one work-item per element; the GPU source. CPUs use elementwise_cpu.cl
 *       (history and PoCL numbers there).
 */
KERNEL void silu(GLOBAL const float* RESTRICT in, GLOBAL float* RESTRICT out, const int n) {
    const int i = GLOBAL_ID(0);
    if (i < n) {
        const float v = in[i];
        out[i] = v / (1.0f + EXP(-v));
    }
}
