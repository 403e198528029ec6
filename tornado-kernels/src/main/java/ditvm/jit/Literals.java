package ditvm.jit;

/**
 * Constants printed exactly: floats and doubles as C99 hexadecimal literals (every finite
 * value, subnormals and -0.0 included, reads back bit for bit), NaN and the infinities
 * through their bits; integer minima without the unary-minus overflow.
 */
final class Literals {
    private Literals() {
    }

    static String intLiteral(int i) {
        return i == Integer.MIN_VALUE ? "(-2147483647 - 1)" : Integer.toString(i);
    }

    static String longLiteral(long l) {
        return l == Long.MIN_VALUE ? "(JL(-9223372036854775807) - JL(1))" : "JL(" + l + ")";
    }

    static String floatLiteral(float f) {
        if (Float.isNaN(f) || Float.isInfinite(f)) {
            return "J_BITS2F(0x" + Integer.toHexString(Float.floatToRawIntBits(f)) + ")";
        }
        return Float.toHexString(f) + "f";
    }

    static String doubleLiteral(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "J_BITS2D(0x" + Long.toHexString(Double.doubleToRawLongBits(d)) + "UL)";
        }
        return Double.toHexString(d);
    }
}
