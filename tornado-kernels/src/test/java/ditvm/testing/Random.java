package ditvm.testing;

import ditvm.memory.FloatArray;
import java.util.SplittableRandom;

/** Seeded random test data. */
public final class Random {
    private Random() {
    }

    /** Uniform in [-scale, scale). */
    public static FloatArray uniform(long seed, int n, float scale) {
        SplittableRandom r = new SplittableRandom(seed);
        FloatArray a = new FloatArray(n);
        for (int i = 0; i < n; i++) {
            a.set(i, (float) ((r.nextDouble() * 2 - 1) * scale));
        }
        return a;
    }
}
