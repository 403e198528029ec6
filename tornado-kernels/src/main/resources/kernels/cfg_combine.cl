/*
 * Classifier-free guidance:
 *   eps [2B, C, I, I]: samples 0..B-1 conditional, B..2B-1 unconditional (null class)
 *   out [B, C, I, I]:  out = uncond + s * (cond - uncond) for channels c < guidedChannels,
 *                      out = cond for the others
 * DiT's official rule guides the first 3 channels (guidedChannels = 3); the textbook form all.
 *
 * Versions:
 *   v1  (this) one work-item per output element.
 */
KERNEL void cfg_combine(GLOBAL const float* RESTRICT eps, GLOBAL float* RESTRICT out, const int B, const int C,
                        const int I, const float s, const int guidedChannels) {
    const int e = GLOBAL_ID(0);
    const int plane = I * I;
    const int condElems = B * C * plane; /* elements of the conditional half */
    if (e >= condElems) {
        return;
    }
    const float cond = eps[e];
    if (e / plane % C < guidedChannels) {
        const float uncond = eps[(long) condElems + e];
        out[e] = uncond + s * (cond - uncond);
    } else {
        out[e] = cond;
    }
}
