package ditvm.api;

import ditvm.memory.FloatArray;
import java.util.Objects;

/**
 * 8 float lanes, immutable (OpenCL {@code float8}); see {@link FloatVector}. The lanes are
 * fields, written out one by one, so that the JVM's compiler can keep a vector that does not
 * escape in registers (scalar replacement): the java device runs kernels through these.
 */
public final class Float8 extends FloatVector {
    public static final int WIDTH = 8;

    private final float l0, l1, l2, l3, l4, l5, l6, l7;

    private Float8(float x0, float x1, float x2, float x3, float x4, float x5, float x6, float x7) {
        l0 = x0;
        l1 = x1;
        l2 = x2;
        l3 = x3;
        l4 = x4;
        l5 = x5;
        l6 = x6;
        l7 = x7;
    }

    /** a[offset .. offset + 8). */
    public static Float8 load(FloatArray a, long offset) {
        return new Float8(a.get(offset), a.get(offset + 1), a.get(offset + 2), a.get(offset + 3), a.get(offset + 4),
                a.get(offset + 5), a.get(offset + 6), a.get(offset + 7));
    }

    /** a[offset .. offset + 8) of a private ({@code new float[n]}) or local array. */
    public static Float8 load(float[] a, int offset) {
        Objects.checkFromIndexSize(offset, WIDTH, a.length);
        return new Float8(a[offset], a[offset + 1], a[offset + 2], a[offset + 3], a[offset + 4], a[offset + 5],
                a[offset + 6], a[offset + 7]);
    }

    /** Every lane x. */
    public static Float8 broadcast(float x) {
        return new Float8(x, x, x, x, x, x, x, x);
    }

    public Float8 add(Float8 o) {
        return new Float8(l0 + o.l0, l1 + o.l1, l2 + o.l2, l3 + o.l3, l4 + o.l4, l5 + o.l5, l6 + o.l6, l7 + o.l7);
    }

    public Float8 sub(Float8 o) {
        return new Float8(l0 - o.l0, l1 - o.l1, l2 - o.l2, l3 - o.l3, l4 - o.l4, l5 - o.l5, l6 - o.l6, l7 - o.l7);
    }

    public Float8 mul(Float8 o) {
        return new Float8(l0 * o.l0, l1 * o.l1, l2 * o.l2, l3 * o.l3, l4 * o.l4, l5 * o.l5, l6 * o.l6, l7 * o.l7);
    }

    public Float8 div(Float8 o) {
        return new Float8(l0 / o.l0, l1 / o.l1, l2 / o.l2, l3 / o.l3, l4 / o.l4, l5 / o.l5, l6 / o.l6, l7 / o.l7);
    }

    /** Lane-wise Math.max: NaN if either lane is NaN, max(-0.0, +0.0) = +0.0. */
    public Float8 max(Float8 o) {
        return new Float8(Math.max(l0, o.l0), Math.max(l1, o.l1), Math.max(l2, o.l2), Math.max(l3, o.l3), Math.max(l4, o.l4),
                Math.max(l5, o.l5), Math.max(l6, o.l6), Math.max(l7, o.l7));
    }

    /** e^x per lane (KernelMath.exp's accuracy on a device). */
    public static Float8 exp(Float8 x) {
        return new Float8((float) Math.exp(x.l0), (float) Math.exp(x.l1), (float) Math.exp(x.l2), (float) Math.exp(x.l3),
                (float) Math.exp(x.l4), (float) Math.exp(x.l5), (float) Math.exp(x.l6), (float) Math.exp(x.l7));
    }

    /** this * b + c, one rounding per lane. */
    public Float8 fma(Float8 b, Float8 c) {
        return new Float8(Math.fma(l0, b.l0, c.l0), Math.fma(l1, b.l1, c.l1), Math.fma(l2, b.l2, c.l2),
                Math.fma(l3, b.l3, c.l3), Math.fma(l4, b.l4, c.l4), Math.fma(l5, b.l5, c.l5),
                Math.fma(l6, b.l6, c.l6), Math.fma(l7, b.l7, c.l7));
    }

    /** Lane {@code i}, 0 <= i < 8. */
    @Override
    public float get(int i) {
        return switch (i) {
            case 0 -> l0;
            case 1 -> l1;
            case 2 -> l2;
            case 3 -> l3;
            case 4 -> l4;
            case 5 -> l5;
            case 6 -> l6;
            case 7 -> l7;
            default -> throw new IndexOutOfBoundsException("lane " + i + " of Float8");
        };
    }

    /** Writes the lanes to a[offset .. offset + 8). */
    @Override
    public void store(FloatArray a, long offset) {
        a.set(offset, l0);
        a.set(offset + 1, l1);
        a.set(offset + 2, l2);
        a.set(offset + 3, l3);
        a.set(offset + 4, l4);
        a.set(offset + 5, l5);
        a.set(offset + 6, l6);
        a.set(offset + 7, l7);
    }

    /** Writes the lanes to a[offset .. offset + 8): a private ({@code new float[n]}) or local array. */
    @Override
    public void store(float[] a, int offset) {
        Objects.checkFromIndexSize(offset, WIDTH, a.length);
        a[offset] = l0;
        a[offset + 1] = l1;
        a[offset + 2] = l2;
        a[offset + 3] = l3;
        a[offset + 4] = l4;
        a[offset + 5] = l5;
        a[offset + 6] = l6;
        a[offset + 7] = l7;
    }
}
