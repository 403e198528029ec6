package ditvm.kernel;

/**
 * The project's accuracy measure: max|got - ref| / max|ref| (ARCHITECTURE.md: at most 1e-4 for
 * fp32 against a float64 reference); infinite when {@code got} has a NaN or infinity.
 */
public final class RelativeError {

    private RelativeError() {
    }

    public static double of(float[] got, double[] ref) {
        if (got.length != ref.length) {
            throw new IllegalArgumentException("lengths differ: got " + got.length + ", reference " + ref.length);
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

    public static double of(float[] got, float[] ref) {
        double[] r = new double[ref.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = ref[i];
        }
        return of(got, r);
    }
}
