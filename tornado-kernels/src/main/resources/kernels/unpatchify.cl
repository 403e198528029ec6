/*
 * Patch vectors back to images, after the final linear:
 *   x   [B*T, p*p*C], T = (I/p)^2, token = row * (I/p) + col, per token ordered [pr][pc][c]
 *   out [B, C, I, I]
 *   out[b, c, row*p + pr, col*p + pc] = x[b*T + row*G + col, (pr*p + pc)*C + c], G = I/p
 *
 * Versions:
 *   v1  (this) one work-item per output element (coalesced writes).
 */
KERNEL void unpatchify(GLOBAL const float* RESTRICT x, GLOBAL float* RESTRICT out, const int B, const int C, const int I,
                       const int p) {
    const int e = GLOBAL_ID(0);
    if (e >= B * C * I * I) {
        return;
    }
    const int G = I / p;
    const int xx = e % I;
    const int yy = e / I % I;
    const int c = e / (I * I) % C;
    const int b = e / (I * I * C);
    const int token = (b * G + yy / p) * G + xx / p;
    out[e] = x[(long) token * (p * p * C) + ((yy % p) * p + xx % p) * C + c];
}
