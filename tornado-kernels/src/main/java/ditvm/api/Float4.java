package ditvm.api;

import ditvm.memory.FloatArray;
import java.util.Objects;

/**
 * 4 float lanes, immutable (OpenCL {@code float4}); see {@link FloatVector}. The lanes are
 * fields, written out one by one, so that the JVM's compiler can keep a vector that does not
 * escape in registers (scalar replacement): the java device runs kernels through these.
 */
public final class Float4 extends FloatVector {
    public static final int WIDTH = 4;

    private final float l0, l1, l2, l3;

    private Float4(float x0, float x1, float x2, float x3) {
        l0 = x0;
        l1 = x1;
        l2 = x2;
        l3 = x3;
    }

    /** a[offset .. offset + 4). */
    public static Float4 load(FloatArray a, long offset) {
        return new Float4(a.get(offset), a.get(offset + 1), a.get(offset + 2), a.get(offset + 3));
    }

    /** a[offset .. offset + 4) of a private ({@code new float[n]}) or local array. */
    public static Float4 load(float[] a, int offset) {
        Objects.checkFromIndexSize(offset, WIDTH, a.length);
        return new Float4(a[offset], a[offset + 1], a[offset + 2], a[offset + 3]);
    }

    /** Every lane x. */
    public static Float4 broadcast(float x) {
        return new Float4(x, x, x, x);
    }

    public Float4 add(Float4 o) {
        return new Float4(l0 + o.l0, l1 + o.l1, l2 + o.l2, l3 + o.l3);
    }

    public Float4 sub(Float4 o) {
        return new Float4(l0 - o.l0, l1 - o.l1, l2 - o.l2, l3 - o.l3);
    }

    public Float4 mul(Float4 o) {
        return new Float4(l0 * o.l0, l1 * o.l1, l2 * o.l2, l3 * o.l3);
    }

    public Float4 div(Float4 o) {
        return new Float4(l0 / o.l0, l1 / o.l1, l2 / o.l2, l3 / o.l3);
    }

    /** Lane-wise Math.max: NaN if either lane is NaN, max(-0.0, +0.0) = +0.0. */
    public Float4 max(Float4 o) {
        return new Float4(Math.max(l0, o.l0), Math.max(l1, o.l1), Math.max(l2, o.l2), Math.max(l3, o.l3));
    }

    /** e^x per lane (KernelMath.exp's accuracy on a device). */
    public static Float4 exp(Float4 x) {
        return new Float4((float) Math.exp(x.l0), (float) Math.exp(x.l1), (float) Math.exp(x.l2), (float) Math.exp(x.l3));
    }

    /** this * b + c, one rounding per lane. */
    public Float4 fma(Float4 b, Float4 c) {
        return new Float4(Math.fma(l0, b.l0, c.l0), Math.fma(l1, b.l1, c.l1), Math.fma(l2, b.l2, c.l2),
                Math.fma(l3, b.l3, c.l3));
    }

    /** Lane {@code i}, 0 <= i < 4. */
    @Override
    public float get(int i) {
        return switch (i) {
            case 0 -> l0;
            case 1 -> l1;
            case 2 -> l2;
            case 3 -> l3;
            default -> throw new IndexOutOfBoundsException("lane " + i + " of Float4");
        };
    }

    /** Writes the lanes to a[offset .. offset + 4). */
    @Override
    public void store(FloatArray a, long offset) {
        a.set(offset, l0);
        a.set(offset + 1, l1);
        a.set(offset + 2, l2);
        a.set(offset + 3, l3);
    }

    /** Writes the lanes to a[offset .. offset + 4): a private ({@code new float[n]}) or local array. */
    @Override
    public void store(float[] a, int offset) {
        Objects.checkFromIndexSize(offset, WIDTH, a.length);
        a[offset] = l0;
        a[offset + 1] = l1;
        a[offset + 2] = l2;
        a[offset + 3] = l3;
    }
}
