/*
 * One reverse diffusion step, in place on the state (dit-spec.md section 5):
 *   x [n, C, I, I] (x_t in, x_{t-1} out), eps [n, outC, I, I] the (guided) model output,
 *   outC = 2C (eps, v: learned-range variance) or C (eps only: fixed-large variance);
 *   noise: z for this step at noise[step * noiseStride + e] (noiseStride 0: one buffer refilled
 *   per step; n*C*I*I: a table of every step's z);
 *   table [steps, 11] per step k = step[0] (loop order, k = 0 the largest timestep), float32 casts of
 *   the float64 schedule: see SamplerStep.java for the columns.
 *   mode 0: DDPM, learned range; 1: DDPM, fixed large; 2: DDIM. clip != 0 clamps pred_x0 to [-1, 1].
 *
 * Versions:
 *   v1  (this) one work-item per element of x.
 */
KERNEL void sampler_step(GLOBAL float* RESTRICT x, GLOBAL const float* RESTRICT eps, GLOBAL const float* RESTRICT noise,
                         GLOBAL const float* RESTRICT table, GLOBAL const int* RESTRICT step, const int n, const int C,
                         const int I, const int outC, const int mode, const int clip, const int noiseStride,
                         const int steps) {
    const int e = GLOBAL_ID(0);
    const int plane = I * I;
    if (e >= n * C * plane) {
        return;
    }
    const int k = step[0];
    GLOBAL const float* row = table + k * 11;
    const int b = e / (C * plane), c = e / plane % C, p = e % plane;
    const float xt = x[e];
    const float ep = eps[(b * outC + c) * plane + p];
    const float z = noise[k * noiseStride + e];
    float x0 = row[0] * xt - row[1] * ep;
    if (clip != 0) {
        x0 = FMAX(-1.0f, x0 < 1.0f ? x0 : 1.0f);
    }
    if (mode == 2) {
        const float eps2 = (row[0] * xt - x0) / row[1];
        x[e] = x0 * row[7] + row[8] * eps2 + row[10] * row[9] * z;
        return;
    }
    const float mean = row[2] * x0 + row[3] * xt;
    float logVar = row[6];
    if (mode == 0) {
        const float frac = (eps[(b * outC + C + c) * plane + p] + 1.0f) / 2.0f;
        logVar = frac * row[4] + (1.0f - frac) * row[5];
    }
    x[e] = mean + row[10] * EXP(0.5f * logVar) * z;
}
