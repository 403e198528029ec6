/*
 * c[i] = a[i] + b[i], i < n. a, b, c [n] (c = t_emb + y_emb in the DiT conditioning).
 *
 * Versions:
 *   v1  (this) one work-item per element; the GPU source. CPUs use elementwise_cpu.cl
 *       (history and PoCL numbers there).
 */
KERNEL void add(GLOBAL const float* RESTRICT a, GLOBAL const float* RESTRICT b, GLOBAL float* RESTRICT c, const int n) {
    const int i = GLOBAL_ID(0);
    if (i < n) {
        c[i] = a[i] + b[i];
    }
}
