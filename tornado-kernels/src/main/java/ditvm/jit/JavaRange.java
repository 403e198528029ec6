package ditvm.jit;

/**
 * The slice of a @Parallel loop one java-device thread runs: iterations [lo, hi) of the
 * outermost annotated loop. The copy of the kernel that {@link ParallelSplit} makes calls these
 * where the loop starts; public only because that copy lives in the kernel's package.
 */
public final class JavaRange {
    static final ScopedValue<long[]> RANGE = ScopedValue.newInstance();

    private JavaRange() {
    }

    /** The first i of this thread's slice: start + lo * step. */
    public static int begin(int start, int step) {
        return (int) Math.min(Integer.MAX_VALUE, start + RANGE.get()[0] * step);
    }

    /** The i at which this thread's slice ends: start + hi * step, at most Integer.MAX_VALUE. */
    public static int end(int start, int step) {
        return (int) Math.min(Integer.MAX_VALUE, start + RANGE.get()[1] * step);
    }
}
