package ditvm.api;

import ditvm.memory.FloatArray;

/** 8 float lanes, immutable (OpenCL {@code float8}); see {@link FloatVector}. */
public final class Float8 extends FloatVector {
    public static final int WIDTH = 8;

    private Float8(float[] lanes) {
        super(lanes);
    }

    /** a[offset .. offset + 8). */
    public static Float8 load(FloatArray a, long offset) {
        return new Float8(load(WIDTH, a, offset));
    }

    /** Every lane x. */
    public static Float8 broadcast(float x) {
        return new Float8(broadcast(WIDTH, x));
    }

    public Float8 add(Float8 o) {
        return new Float8(super.add(o));
    }

    public Float8 sub(Float8 o) {
        return new Float8(super.sub(o));
    }

    public Float8 mul(Float8 o) {
        return new Float8(super.mul(o));
    }

    public Float8 div(Float8 o) {
        return new Float8(super.div(o));
    }

    /** e^x per lane (KernelMath.exp's accuracy on a device). */
    public static Float8 exp(Float8 x) {
        return new Float8(FloatVector.exp(x));
    }

    /** this * b + c, one rounding per lane. */
    public Float8 fma(Float8 b, Float8 c) {
        return new Float8(super.fma(b, c));
    }
}
