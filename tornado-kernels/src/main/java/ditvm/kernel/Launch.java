package ditvm.kernel;

import java.util.Arrays;

/**
 * An NDRange: global work size per dimension (a multiple of local in each) and the local
 * (work-group) size, or null local to let the driver choose.
 */
public record Launch(long[] global, long[] local) {

    public Launch {
        if (global.length < 1 || global.length > 3) {
            throw new IllegalArgumentException("a launch has 1 to 3 dimensions, found " + global.length);
        }
        if (local != null && local.length != global.length) {
            throw new IllegalArgumentException("local has " + local.length + " dimensions, global " + global.length);
        }
        for (int d = 0; d < global.length; d++) {
            if (global[d] < 1 || (local != null && (local[d] < 1 || global[d] % local[d] != 0))) {
                throw new IllegalArgumentException("bad launch: global " + Arrays.toString(global)
                        + " must be >= 1 and a multiple of local " + Arrays.toString(local));
            }
        }
    }

    /** Global size rounded up to whole work-groups of {@code local}. */
    public static Launch grid(long[] items, long[] local) {
        long[] g = new long[items.length];
        for (int d = 0; d < items.length; d++) {
            g[d] = Math.max(1, ceilDiv(items[d], local[d]) * local[d]);
        }
        return new Launch(g, local.clone());
    }

    public static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    public int dimensions() {
        return global.length;
    }

    @Override
    public String toString() {
        return "global " + Arrays.toString(global) + " local " + (local == null ? "auto" : Arrays.toString(local));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Launch l && Arrays.equals(global, l.global) && Arrays.equals(local, l.local);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(global) + Arrays.hashCode(local);
    }
}
