package ditvm.api;

import ditvm.memory.FloatArray;

/** 16 float lanes, immutable (OpenCL {@code float16}); see {@link FloatVector}. */
public final class Float16 extends FloatVector {
    public static final int WIDTH = 16;

    private Float16(float[] lanes) {
        super(lanes);
    }

    /** a[offset .. offset + 16). */
    public static Float16 load(FloatArray a, long offset) {
        return new Float16(load(WIDTH, a, offset));
    }

    /** Every lane x. */
    public static Float16 broadcast(float x) {
        return new Float16(broadcast(WIDTH, x));
    }

    public Float16 add(Float16 o) {
        return new Float16(super.add(o));
    }

    public Float16 sub(Float16 o) {
        return new Float16(super.sub(o));
    }

    public Float16 mul(Float16 o) {
        return new Float16(super.mul(o));
    }

    public Float16 div(Float16 o) {
        return new Float16(super.div(o));
    }

    /** e^x per lane (KernelMath.exp's accuracy on a device). */
    public static Float16 exp(Float16 x) {
        return new Float16(FloatVector.exp(x));
    }

    /** this * b + c, one rounding per lane. */
    public Float16 fma(Float16 b, Float16 c) {
        return new Float16(super.fma(b, c));
    }
}
