/*
 * out[i] = gelu(in[i]), tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
 * in, out [n], separate arrays.
 *
 * Versions:
 *   v1  (this) one work-item per element; the GPU source. CPUs use elementwise_cpu.cl
 *       (history and PoCL numbers there).
 */
KERNEL void gelu_tanh(GLOBAL const float* RESTRICT in, GLOBAL float* RESTRICT out, const int n) {
    const int i = GLOBAL_ID(0);
    if (i < n) {
        const float x = in[i];
        out[i] = 0.5f * x * (1.0f + TANH(0.7978845608028654f * (x + 0.044715f * x * x * x)));
    }
}
