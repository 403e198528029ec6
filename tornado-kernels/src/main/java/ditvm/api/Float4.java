package ditvm.api;

import ditvm.memory.FloatArray;

/** 4 float lanes, immutable (OpenCL {@code float4}); see {@link FloatVector}. */
public final class Float4 extends FloatVector {
    public static final int WIDTH = 4;

    private Float4(float[] lanes) {
        super(lanes);
    }

    /** a[offset .. offset + 4). */
    public static Float4 load(FloatArray a, long offset) {
        return new Float4(load(WIDTH, a, offset));
    }

    /** Every lane x. */
    public static Float4 broadcast(float x) {
        return new Float4(broadcast(WIDTH, x));
    }

    public Float4 add(Float4 o) {
        return new Float4(super.add(o));
    }

    public Float4 sub(Float4 o) {
        return new Float4(super.sub(o));
    }

    public Float4 mul(Float4 o) {
        return new Float4(super.mul(o));
    }

    public Float4 div(Float4 o) {
        return new Float4(super.div(o));
    }

    /** e^x per lane (KernelMath.exp's accuracy on a device). */
    public static Float4 exp(Float4 x) {
        return new Float4(FloatVector.exp(x));
    }

    /** this * b + c, one rounding per lane. */
    public Float4 fma(Float4 b, Float4 c) {
        return new Float4(super.fma(b, c));
    }
}
