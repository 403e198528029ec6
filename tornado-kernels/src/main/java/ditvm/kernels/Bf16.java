package ditvm.kernels;

/**
 * bfloat16: the top 16 bits of an IEEE float (8 exponent bits, 7 stored mantissa bits). The
 * rounding here is the tensor-core path's ({@code cvt.rn.bf16x2.f32}): to nearest, ties to even.
 */
public final class Bf16 {

    private Bf16() {
    }

    /** The bf16 bit pattern (low 16 bits of the result) nearest to {@code f}; NaN stays a quiet NaN. */
    public static int bits(float f) {
        int b = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (b >>> 16 | 0x40) & 0xFFFF;
        }
        return (b + 0x7FFF + (b >>> 16 & 1)) >>> 16 & 0xFFFF;
    }

    public static float toFloat(int bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** {@code f} rounded to the nearest bf16, as a float. */
    public static float round(float f) {
        return toFloat(bits(f));
    }
}
