package ditvm.api;

import ditvm.memory.FloatArray;

/**
 * The lanes shared by {@link Float4}, {@link Float8} and {@link Float16}: immutable, every
 * operation lane by lane as Java computes it. The JIT maps each width onto OpenCL's
 * {@code floatN} and onto a struct of N floats in CUDA.
 */
abstract sealed class FloatVector permits Float4, Float8, Float16 {
    final float[] lanes;

    FloatVector(float[] lanes) {
        this.lanes = lanes;
    }

    static float[] load(int width, FloatArray a, long offset) {
        float[] v = new float[width];
        for (int i = 0; i < width; i++) {
            v[i] = a.get(offset + i);
        }
        return v;
    }

    static float[] broadcast(int width, float x) {
        float[] v = new float[width];
        java.util.Arrays.fill(v, x);
        return v;
    }

    final float[] add(FloatVector o) {
        float[] v = new float[lanes.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = lanes[i] + o.lanes[i];
        }
        return v;
    }

    final float[] sub(FloatVector o) {
        float[] v = new float[lanes.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = lanes[i] - o.lanes[i];
        }
        return v;
    }

    final float[] mul(FloatVector o) {
        float[] v = new float[lanes.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = lanes[i] * o.lanes[i];
        }
        return v;
    }

    final float[] div(FloatVector o) {
        float[] v = new float[lanes.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = lanes[i] / o.lanes[i];
        }
        return v;
    }

    static float[] exp(FloatVector x) {
        float[] v = new float[x.lanes.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.exp(x.lanes[i]);
        }
        return v;
    }

    /** this * b + c, one rounding per lane. */
    final float[] fma(FloatVector b, FloatVector c) {
        float[] v = new float[lanes.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.fma(lanes[i], b.lanes[i], c.lanes[i]);
        }
        return v;
    }

    /** Lane {@code i}, 0 <= i < width. */
    public final float get(int i) {
        return lanes[i];
    }

    /** Writes the lanes to a[offset .. offset + width). */
    public final void store(FloatArray a, long offset) {
        for (int i = 0; i < lanes.length; i++) {
            a.set(offset + i, lanes[i]);
        }
    }

    @Override
    public final String toString() {
        return java.util.Arrays.toString(lanes);
    }
}
