/*
 * out[i] = in[i], i < n. in, out [n], separate arrays. The copy-bandwidth reference of the
 * memory-bound kernels (`ditvm bench copy`): a memory-bound kernel is judged against this,
 * launched and timed the same way.
 *
 * Versions:
 *   v1  (this) one work-item per element, work-groups of 256.
 */
KERNEL void copy(GLOBAL const float* RESTRICT in, GLOBAL float* RESTRICT out, const int n) {
    const int i = GLOBAL_ID(0);
    if (i < n) {
        out[i] = in[i];
    }
}
