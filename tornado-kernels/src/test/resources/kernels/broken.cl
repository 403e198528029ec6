/* A kernel with a syntax error, for the build-failure test. */
KERNEL void broken(GLOBAL float* x, const int n) {
    x[0] = n +* 2
}
