package ditvm.api;

import ditvm.memory.FloatArray;
import java.util.Objects;

/**
 * 16 float lanes, immutable (OpenCL {@code float16}); see {@link FloatVector}. The lanes are
 * fields, written out one by one, so that the JVM's compiler can keep a vector that does not
 * escape in registers (scalar replacement): the java device runs kernels through these.
 */
public final class Float16 extends FloatVector {
    public static final int WIDTH = 16;

    private final float l0, l1, l2, l3, l4, l5, l6, l7, l8, l9, l10, l11, l12, l13, l14, l15;

    private Float16(float x0, float x1, float x2, float x3, float x4, float x5, float x6, float x7, float x8, float x9, float x10, float x11, float x12, float x13, float x14, float x15) {
        l0 = x0;
        l1 = x1;
        l2 = x2;
        l3 = x3;
        l4 = x4;
        l5 = x5;
        l6 = x6;
        l7 = x7;
        l8 = x8;
        l9 = x9;
        l10 = x10;
        l11 = x11;
        l12 = x12;
        l13 = x13;
        l14 = x14;
        l15 = x15;
    }

    /** a[offset .. offset + 16). */
    public static Float16 load(FloatArray a, long offset) {
        return new Float16(a.get(offset), a.get(offset + 1), a.get(offset + 2), a.get(offset + 3), a.get(offset + 4),
                a.get(offset + 5), a.get(offset + 6), a.get(offset + 7), a.get(offset + 8), a.get(offset + 9),
                a.get(offset + 10), a.get(offset + 11), a.get(offset + 12), a.get(offset + 13), a.get(offset + 14),
                a.get(offset + 15));
    }

    /** a[offset .. offset + 16) of a private ({@code new float[n]}) or local array. */
    public static Float16 load(float[] a, int offset) {
        Objects.checkFromIndexSize(offset, WIDTH, a.length);
        return new Float16(a[offset], a[offset + 1], a[offset + 2], a[offset + 3], a[offset + 4], a[offset + 5],
                a[offset + 6], a[offset + 7], a[offset + 8], a[offset + 9], a[offset + 10], a[offset + 11],
                a[offset + 12], a[offset + 13], a[offset + 14], a[offset + 15]);
    }

    /** Every lane x. */
    public static Float16 broadcast(float x) {
        return new Float16(x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x);
    }

    public Float16 add(Float16 o) {
        return new Float16(l0 + o.l0, l1 + o.l1, l2 + o.l2, l3 + o.l3, l4 + o.l4, l5 + o.l5, l6 + o.l6, l7 + o.l7, l8 + o.l8,
                l9 + o.l9, l10 + o.l10, l11 + o.l11, l12 + o.l12, l13 + o.l13, l14 + o.l14, l15 + o.l15);
    }

    public Float16 sub(Float16 o) {
        return new Float16(l0 - o.l0, l1 - o.l1, l2 - o.l2, l3 - o.l3, l4 - o.l4, l5 - o.l5, l6 - o.l6, l7 - o.l7, l8 - o.l8,
                l9 - o.l9, l10 - o.l10, l11 - o.l11, l12 - o.l12, l13 - o.l13, l14 - o.l14, l15 - o.l15);
    }

    public Float16 mul(Float16 o) {
        return new Float16(l0 * o.l0, l1 * o.l1, l2 * o.l2, l3 * o.l3, l4 * o.l4, l5 * o.l5, l6 * o.l6, l7 * o.l7, l8 * o.l8,
                l9 * o.l9, l10 * o.l10, l11 * o.l11, l12 * o.l12, l13 * o.l13, l14 * o.l14, l15 * o.l15);
    }

    public Float16 div(Float16 o) {
        return new Float16(l0 / o.l0, l1 / o.l1, l2 / o.l2, l3 / o.l3, l4 / o.l4, l5 / o.l5, l6 / o.l6, l7 / o.l7, l8 / o.l8,
                l9 / o.l9, l10 / o.l10, l11 / o.l11, l12 / o.l12, l13 / o.l13, l14 / o.l14, l15 / o.l15);
    }

    /** Lane-wise Math.max: NaN if either lane is NaN, max(-0.0, +0.0) = +0.0. */
    public Float16 max(Float16 o) {
        return new Float16(Math.max(l0, o.l0), Math.max(l1, o.l1), Math.max(l2, o.l2), Math.max(l3, o.l3), Math.max(l4, o.l4),
                Math.max(l5, o.l5), Math.max(l6, o.l6), Math.max(l7, o.l7), Math.max(l8, o.l8), Math.max(l9, o.l9),
                Math.max(l10, o.l10), Math.max(l11, o.l11), Math.max(l12, o.l12), Math.max(l13, o.l13),
                Math.max(l14, o.l14), Math.max(l15, o.l15));
    }

    /** e^x per lane (KernelMath.exp's accuracy on a device). */
    public static Float16 exp(Float16 x) {
        return new Float16((float) Math.exp(x.l0), (float) Math.exp(x.l1), (float) Math.exp(x.l2), (float) Math.exp(x.l3),
                (float) Math.exp(x.l4), (float) Math.exp(x.l5), (float) Math.exp(x.l6), (float) Math.exp(x.l7),
                (float) Math.exp(x.l8), (float) Math.exp(x.l9), (float) Math.exp(x.l10), (float) Math.exp(x.l11),
                (float) Math.exp(x.l12), (float) Math.exp(x.l13), (float) Math.exp(x.l14), (float) Math.exp(x.l15));
    }

    /** this * b + c, one rounding per lane. */
    public Float16 fma(Float16 b, Float16 c) {
        return new Float16(Math.fma(l0, b.l0, c.l0), Math.fma(l1, b.l1, c.l1), Math.fma(l2, b.l2, c.l2),
                Math.fma(l3, b.l3, c.l3), Math.fma(l4, b.l4, c.l4), Math.fma(l5, b.l5, c.l5),
                Math.fma(l6, b.l6, c.l6), Math.fma(l7, b.l7, c.l7), Math.fma(l8, b.l8, c.l8),
                Math.fma(l9, b.l9, c.l9), Math.fma(l10, b.l10, c.l10), Math.fma(l11, b.l11, c.l11),
                Math.fma(l12, b.l12, c.l12), Math.fma(l13, b.l13, c.l13), Math.fma(l14, b.l14, c.l14),
                Math.fma(l15, b.l15, c.l15));
    }

    /** Lane {@code i}, 0 <= i < 16. */
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
            case 8 -> l8;
            case 9 -> l9;
            case 10 -> l10;
            case 11 -> l11;
            case 12 -> l12;
            case 13 -> l13;
            case 14 -> l14;
            case 15 -> l15;
            default -> throw new IndexOutOfBoundsException("lane " + i + " of Float16");
        };
    }

    /** Writes the lanes to a[offset .. offset + 16). */
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
        a.set(offset + 8, l8);
        a.set(offset + 9, l9);
        a.set(offset + 10, l10);
        a.set(offset + 11, l11);
        a.set(offset + 12, l12);
        a.set(offset + 13, l13);
        a.set(offset + 14, l14);
        a.set(offset + 15, l15);
    }

    /** Writes the lanes to a[offset .. offset + 16): a private ({@code new float[n]}) or local array. */
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
        a[offset + 8] = l8;
        a[offset + 9] = l9;
        a[offset + 10] = l10;
        a[offset + 11] = l11;
        a[offset + 12] = l12;
        a[offset + 13] = l13;
        a[offset + 14] = l14;
        a[offset + 15] = l15;
    }
}
