package ditvm.kernels;

import ditvm.kernel.Kernel;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import java.util.List;

/** What every kernel of this package shares: entry point, source file, parameters, shape checks. */
abstract class SourceKernel implements Kernel {
    private final String name;
    private final String sourceFile;
    private final List<Param> params;

    SourceKernel(String name, String sourceFile, Param... params) {
        this.name = name;
        this.sourceFile = sourceFile;
        this.params = List.of(params);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String sourceFile() {
        return sourceFile;
    }

    @Override
    public final List<Param> params() {
        return params;
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

    /** {@code n} as an int index space for a kernel, refusing sizes past 2^31 - 1. */
    static long intRange(String what, long n) {
        require(n <= Integer.MAX_VALUE, what + " has " + n + " elements, more than the kernels' int indices address");
        return n;
    }
}
