/*
 * step[0] += 1: the sampler's device-resident step counter, advanced after each reverse step so
 * that the next execution of the same graph reads the next row of its tables.
 *
 * Versions:
 *   v1  (this) one work-item.
 */
KERNEL void step_advance(GLOBAL int* RESTRICT step) {
    if (GLOBAL_ID(0) == 0) {
        step[0] = step[0] + 1;
    }
}
