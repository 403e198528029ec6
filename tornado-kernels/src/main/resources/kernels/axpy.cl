/* y[i] = alpha * x[i] + y[i], i < n. The smallest kernel: proves the path. */
KERNEL void axpy(GLOBAL const float* RESTRICT x, GLOBAL float* RESTRICT y, const float alpha, const int n) {
    const int i = GLOBAL_ID(0);
    if (i < n) {
        y[i] = alpha * x[i] + y[i];
    }
}
