package ditvm.api;

import ditvm.memory.FloatArray;

/**
 * What {@link Float4}, {@link Float8} and {@link Float16} share: immutable lanes, every
 * operation lane by lane as Java computes it (load, broadcast, add, sub, mul, div, max, exp, fma,
 * get, store). The JIT maps each width onto OpenCL's {@code floatN} and onto a struct of N floats
 * in CUDA; on the JVM each width keeps its lanes in fields (written out by
 * {@code scripts/gen-float-vectors.py}).
 */
abstract sealed class FloatVector permits Float4, Float8, Float16 {
    FloatVector() {
    }

    /** Lane {@code i}, 0 <= i < width. */
    public abstract float get(int i);

    /** Writes the lanes to a[offset .. offset + width). */
    public abstract void store(FloatArray a, long offset);

    /** Writes the lanes to a[offset .. offset + width): a private ({@code new float[n]}) or local array. */
    public abstract void store(float[] a, int offset);

    @Override
    public final String toString() {
        float[] v = new float[getClass() == Float4.class ? 4 : getClass() == Float8.class ? 8 : 16];
        store(v, 0);
        return java.util.Arrays.toString(v);
    }
}
