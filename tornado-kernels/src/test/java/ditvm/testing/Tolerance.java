package ditvm.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The project's numerical check: max|got - ref| / max|ref| against a float64 (or float32)
 * reference. ARCHITECTURE.md sets 1e-4 for fp32.
 */
public final class Tolerance {
    public static final double FP32 = 1e-4;

    private Tolerance() {
    }

    public static double relativeMaxError(float[] got, double[] ref) {
        if (got.length != ref.length) {
            throw new AssertionError("lengths differ: got " + got.length + ", reference " + ref.length);
        }
        double maxDiff = 0, maxRef = 0;
        for (int i = 0; i < got.length; i++) {
            if (!Float.isFinite(got[i])) {
                return Double.POSITIVE_INFINITY;
            }
            maxDiff = Math.max(maxDiff, Math.abs(got[i] - ref[i]));
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
        }
        return maxRef == 0 ? maxDiff : maxDiff / maxRef;
    }

    public static double relativeMaxError(float[] got, float[] ref) {
        double[] r = new double[ref.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = ref[i];
        }
        return relativeMaxError(got, r);
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
