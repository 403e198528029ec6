package ditvm.kernels;

import ditvm.kernel.Launch;

/** The shape rules and launch helpers the descriptors of this package share. */
final class Shapes {
    private Shapes() {
    }

    /** Throws {@link IllegalArgumentException} with {@code message} unless {@code ok}. */
    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Requires every named size >= 1: names and values alternate, e.g. {@code "B", b, "T", t}. */
    static void positive(Object... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            int v = (Integer) namesAndValues[i + 1];
            require(v >= 1, namesAndValues[i] + " must be >= 1, given " + v);
        }
    }

    /** One work-item per element over {@code n} elements, in work-groups of 256. */
    static Launch perElement(long n) {
        return Launch.grid(new long[] {n}, new long[] {256});
    }

    /** One work-item per element of {@code rows} rows of {@code perRow} elements: (element, row), work-groups of 256 x 1. */
    static Launch perRowElement(long perRow, long rows) {
        return Launch.grid(new long[] {perRow, rows}, new long[] {256, 1});
    }

    /** {@code n} as an int index space for a kernel, refusing sizes past 2^31 - 1. */
    static long intRange(String what, long n) {
        require(n <= Integer.MAX_VALUE, what + " has " + n + " elements, more than the kernels' int indices address");
        return n;
    }
}
