/*
 * Class-label embedding lookup:
 *   y [B] int labels in 0..classes (classes = the null class of classifier-free guidance)
 *   table [classes + 1, D] -> out [B, D], out[b] = table[y[b]]
 * A label outside 0..classes gives a row of zeros here (the Java reference throws).
 *
 * Versions:
 *   v1  (this) one work-item per output element.
 */
KERNEL void label_gather(GLOBAL const int* RESTRICT y, GLOBAL const float* RESTRICT table, GLOBAL float* RESTRICT out,
                         const int B, const int classes, const int D) {
    const int e = GLOBAL_ID(0);
    if (e >= B * D) {
        return;
    }
    const int label = y[e / D];
    out[e] = (label >= 0 && label <= classes) ? table[(long) label * D + e % D] : 0.0f;
}
