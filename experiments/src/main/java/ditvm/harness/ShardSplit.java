package ditvm.harness;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How a sweep's product is cut into N shards, the same on every machine: the items by expected
 * cost (analytic Gflops x batch), largest first (ties: product order), each given to the shard
 * with the least cost so far (ties: the lowest shard). Every item lands in exactly one shard, and
 * the costliest and cheapest shard differ by at most the largest single item's cost: the last
 * item a shard got went to it while it was the cheapest.
 */
public final class ShardSplit {

    private ShardSplit() {
    }

    /** Which shard (0 to n-1) each item goes to, by index. */
    public static int[] assign(List<Double> costs, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("need at least 1 shard, found " + n);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < costs.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -costs.get(i)).thenComparingInt(i -> i));
        double[] load = new double[n];
        int[] shard = new int[costs.size()];
        for (int i : order) {
            int least = 0;
            for (int s = 1; s < n; s++) {
                if (load[s] < load[least]) {
                    least = s;
                }
            }
            shard[i] = least;
            load[least] += costs.get(i);
        }
        return shard;
    }

    /** A {@code --shard K/N} value: slice K (0-based) of N. */
    public record Spec(int index, int count) {
        public Spec {
            if (count < 1 || index < 0 || index >= count) {
                throw new IllegalArgumentException("--shard K/N needs 0 <= K < N, found " + index + "/" + count);
            }
        }

        public static Spec parse(String text) {
            String[] p = text.split("/", -1);
            try {
                if (p.length == 2) {
                    return new Spec(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException("--shard takes K/N (slice K of N, 0 <= K < N), found '" + text + "'");
        }

        @Override
        public String toString() {
            return index + "/" + count;
        }
    }
}
