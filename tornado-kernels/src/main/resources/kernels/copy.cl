/*
 * out[i] = in[i], i < n. in, out [n], separate arrays. The copy-bandwidth reference of the
 * memory-bound kernels (`ditvm bench copy`): a memory-bound kernel is judged against this,
 * launched and timed the same way.
 *
 * Versions:
 *   v1  (this) one work-item per element, work-groups of 256; copy_cpu in elementwise_cpu.cl
 *       (work-item per 4096 floats, float16) runs the same on PoCL: 0.22 ms for 2 x 3 MiB.
 */
KERNEL void copy(GLOBAL const float* RESTRICT in, GLOBAL float* RESTRICT out, const int n) {
    const int i = GLOBAL_ID(0);
    if (i < n) {
        out[i] = in[i];
    }
}
