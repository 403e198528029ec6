/*
 * Latents to patch vectors, the input of the patch-embedding GEMM:
 *   x   [B, C, I, I]
 *   out [B*T, C*p*p], T = (I/p)^2, token = row * (I/p) + col,
 *       per token ordered [c][pr][pc] (the conv weight [D, C, p, p] flattened)
 *   out[(b*T + row*G + col), (c*p + pr)*p + pc] = x[b, c, row*p + pr, col*p + pc], G = I/p
 *
 * Versions:
 *   v1  (this) one work-item per output element.
 */
KERNEL void patchify(GLOBAL const float* RESTRICT x, GLOBAL float* RESTRICT out, const int B, const int C, const int I,
                     const int p) {
    const int e = GLOBAL_ID(0);
    const int G = I / p;
    const int P = C * p * p;
    if (e >= B * G * G * P) {
        return;
    }
    const int v = e % P;
    const int token = e / P; /* b * T + row * G + col */
    const int c = v / (p * p);
    const int pr = v / p % p;
    const int pc = v % p;
    const int b = token / (G * G);
    const int row = token / G % G;
    const int col = token % G;
    out[e] = x[(((long) b * C + c) * I + row * p + pr) * I + col * p + pc];
}
