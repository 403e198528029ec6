package ditvm.bench;

import java.util.Arrays;

/** Repeated timings in seconds, with the order statistics the reports use. */
public record Timings(double[] seconds) {

    public Timings {
        if (seconds.length == 0) {
            throw new IllegalArgumentException("no timings");
        }
        seconds = seconds.clone();
    }

    public double median() {
        return quantile(0.5);
    }

    public double p10() {
        return quantile(0.1);
    }

    public double p90() {
        return quantile(0.9);
    }

    /** Linear-interpolated quantile q in [0, 1]. */
    public double quantile(double q) {
        double[] s = seconds.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }
}
