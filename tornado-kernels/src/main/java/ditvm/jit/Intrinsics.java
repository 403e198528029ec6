package ditvm.jit;

import java.util.List;
import java.util.Map;

/**
 * The library calls a kernel may make and the C each becomes: {@code java.lang.Math} and
 * {@link ditvm.api.KernelMath} (float and double), and the bit views of Float and Double. The
 * names are those of OpenCL C, which CUDA C++ overloads alike, or helpers of the JIT prelude
 * ({@code j_*}) where Java's rule differs from C's (min and max with NaN and -0.0, abs of
 * MIN_VALUE).
 */
final class Intrinsics {
    private Intrinsics() {
    }

    private static final Map<String, String> MATH = Map.ofEntries(
            Map.entry("abs(I)I", "j_iabs"), Map.entry("abs(J)J", "j_labs"),
            Map.entry("abs(F)F", "fabs"), Map.entry("abs(D)D", "fabs"),
            Map.entry("min(II)I", "j_imin"), Map.entry("max(II)I", "j_imax"),
            Map.entry("min(JJ)J", "j_lmin"), Map.entry("max(JJ)J", "j_lmax"),
            Map.entry("min(FF)F", "j_fmin"), Map.entry("max(FF)F", "j_fmax"),
            Map.entry("min(DD)D", "j_dmin"), Map.entry("max(DD)D", "j_dmax"),
            Map.entry("sqrt(D)D", "sqrt"), Map.entry("exp(D)D", "exp"), Map.entry("log(D)D", "log"),
            Map.entry("sin(D)D", "sin"), Map.entry("cos(D)D", "cos"), Map.entry("tan(D)D", "tan"),
            Map.entry("tanh(D)D", "tanh"), Map.entry("pow(DD)D", "pow"), Map.entry("floor(D)D", "j_dfloor"),
            Map.entry("ceil(D)D", "j_dceil"), Map.entry("fma(FFF)F", "fma"), Map.entry("fma(DDD)D", "fma"));

    private static final Map<String, String> KERNEL_MATH = Map.ofEntries(
            Map.entry("exp(F)F", "exp"), Map.entry("exp(D)D", "exp"),
            Map.entry("log(F)F", "log"), Map.entry("log(D)D", "log"),
            Map.entry("sqrt(F)F", "sqrt"), Map.entry("sqrt(D)D", "sqrt"),
            Map.entry("rsqrt(F)F", "j_rsqrtf"), Map.entry("rsqrt(D)D", "j_rsqrt"),
            Map.entry("tanh(F)F", "tanh"), Map.entry("tanh(D)D", "tanh"),
            Map.entry("sin(F)F", "sin"), Map.entry("sin(D)D", "sin"),
            Map.entry("cos(F)F", "cos"), Map.entry("cos(D)D", "cos"),
            Map.entry("pow(FF)F", "pow"), Map.entry("pow(DD)D", "pow"),
            Map.entry("fma(FFF)F", "fma"), Map.entry("fma(DDD)D", "fma"),
            Map.entry("min(FF)F", "j_fmin"), Map.entry("min(DD)D", "j_dmin"), Map.entry("min(II)I", "j_imin"),
            Map.entry("max(FF)F", "j_fmax"), Map.entry("max(DD)D", "j_dmax"), Map.entry("max(II)I", "j_imax"),
            Map.entry("abs(F)F", "fabs"), Map.entry("abs(D)D", "fabs"), Map.entry("abs(I)I", "j_iabs"),
            Map.entry("clamp(FFF)F", "j_fclamp"), Map.entry("clamp(DDD)D", "j_dclamp"), Map.entry("clamp(III)I", "j_iclamp"));

    private static final Map<String, String> BITS = Map.ofEntries(
            Map.entry("java/lang/Float.floatToRawIntBits(F)I", "J_F2BITS"),
            Map.entry("java/lang/Float.intBitsToFloat(I)F", "J_BITS2F"),
            Map.entry("java/lang/Float.isNaN(F)Z", "j_fisnan"),
            Map.entry("java/lang/Double.doubleToRawLongBits(D)J", "J_D2BITS"),
            Map.entry("java/lang/Double.longBitsToDouble(J)D", "J_BITS2D"),
            Map.entry("java/lang/Double.isNaN(D)Z", "j_disnan"));

    /** The C function for a static call, or null when the call is not a library intrinsic. */
    static String function(String owner, String name, String descriptor) {
        String key = name + descriptor;
        return switch (owner) {
            case "java/lang/Math", "java/lang/StrictMath" -> MATH.get(key);
            case "ditvm/api/KernelMath" -> KERNEL_MATH.get(key);
            default -> BITS.get(owner + "." + key);
        };
    }

    /** Whether calls to this class other than the intrinsics are refused rather than compiled as helpers. */
    static boolean libraryClass(String owner) {
        return owner.startsWith("java/") || owner.startsWith("javax/") || owner.startsWith("jdk/") || owner.startsWith("sun/")
                || owner.equals("ditvm/api/KernelMath");
    }

    static String call(String function, List<String> args) {
        return function + "(" + String.join(", ", args) + ")";
    }
}
