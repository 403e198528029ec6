package ditvm.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ditvm.kernel.RelativeError;

/**
 * The project's numerical check: max|got - ref| / max|ref| against a float64 (or float32)
 * reference. ARCHITECTURE.md sets 1e-4 for fp32.
 */
public final class Tolerance {
    public static final double FP32 = 1e-4;

    private Tolerance() {
    }

    public static double relativeMaxError(float[] got, double[] ref) {
        return RelativeError.of(got, ref);
    }

    public static double relativeMaxError(float[] got, float[] ref) {
        return RelativeError.of(got, ref);
    }

    public static void assertClose(String what, float[] got, double[] ref, double tol) {
        double e = relativeMaxError(got, ref);
        assertTrue(e <= tol, () -> what + ": max|diff|/max|ref| = " + e + " > " + tol);
    }

    public static void assertClose(String what, float[] got, float[] ref, double tol) {
        double e = relativeMaxError(got, ref);
        assertTrue(e <= tol, () -> what + ": max|diff|/max|ref| = " + e + " > " + tol);
    }
}
