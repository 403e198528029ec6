/*
 * The model's input for one sampling step, from the device-resident state:
 *   x [n, C, I, I] (imageElems = C * I * I per sample) -> xin [copies * n, C, I, I], copies 1 or 2:
 *   xin = x, or [x ; x] for classifier-free guidance (the conditional and the null-class half);
 *   t [copies * n] = timesteps[step[0]], the ORIGINAL timestep of respaced step k = step[0]
 *   (timesteps [steps] in loop order, k = 0 the largest).
 *
 * Versions:
 *   v1  (this) one work-item per element of xin.
 */
KERNEL void sample_input(GLOBAL const float* RESTRICT x, GLOBAL const float* RESTRICT timesteps,
                         GLOBAL const int* RESTRICT step, GLOBAL float* RESTRICT xin, GLOBAL float* RESTRICT t,
                         const int n, const int imageElems, const int copies, const int steps) {
    const int e = GLOBAL_ID(0);
    const int state = n * imageElems;
    if (e >= copies * state) {
        return;
    }
    xin[e] = x[e % state];
    if (e < copies * n) {
        t[e] = timesteps[step[0]];
    }
}
