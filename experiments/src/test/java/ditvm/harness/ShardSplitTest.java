package ditvm.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ditvm.model.DiTConfig;
import ditvm.model.Variant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The shard split: every item in exactly one shard, balanced to within the largest item, the same every time. */
class ShardSplitTest {

    /** The costs of the campaign the issue names: 12 presets x 4 variants x batches 1, 8, 32 x 2 devices. */
    static List<Double> campaignCosts() {
        List<DiTConfig> models = new ArrayList<>();
        for (String m : List.of("DiT-S/8", "DiT-S/4", "DiT-S/2", "DiT-B/8", "DiT-B/4", "DiT-B/2", "DiT-L/8", "DiT-L/4",
                "DiT-L/2", "DiT-XL/8", "DiT-XL/4", "DiT-XL/2")) {
            models.add(DiTConfig.preset(m, 256));
        }
        return Sweep.product(models, List.of(Variant.values()), List.of(1, 8, 32), List.of("cuda:0", "opencl:0:0")).stream()
                .map(Sweep.Item::cost).toList();
    }

    static void checkSplit(List<Double> costs, int n) {
        int[] shard = ShardSplit.assign(costs, n);
        assertThat(shard).hasSize(costs.size()); // one shard per item: every item in exactly one
        double[] load = new double[n];
        for (int i = 0; i < shard.length; i++) {
            assertThat(shard[i]).as("item %d of %d, N = %d", i, costs.size(), n).isBetween(0, n - 1);
            load[shard[i]] += costs.get(i);
        }
        double largest = costs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double spread = Arrays.stream(load).max().orElse(0) - Arrays.stream(load).min().orElse(0);
        assertThat(spread).as("N = %d, %d items: max - min shard cost within the largest item", n, costs.size())
                .isLessThanOrEqualTo(largest + 1e-9 * Math.max(1, largest));
        assertThat(ShardSplit.assign(costs, n)).as("the same split every time").isEqualTo(shard);
    }

    @Test
    void theCampaignSplitsBalancedForManyN() {
        List<Double> costs = campaignCosts();
        assertThat(costs).hasSize(12 * 4 * 3 * 2);
        for (int n = 1; n <= 300; n += n < 40 ? 1 : 37) {
            checkSplit(costs, n);
        }
    }

    @Test
    void randomCostsSplitBalancedForManyN() {
        SplittableRandom r = new SplittableRandom(15);
        for (int trial = 0; trial < 300; trial++) {
            int size = r.nextInt(0, 80);
            List<Double> costs = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                // spread over orders of magnitude, with ties, like Gflops x batch
                costs.add(r.nextInt(4) == 0 ? 1.0 : Math.pow(10, r.nextDouble(-2, 3)));
            }
            checkSplit(costs, r.nextInt(1, 25));
        }
    }

    @Test
    void moreShardsThanItemsLeavesSomeEmpty() {
        int[] shard = ShardSplit.assign(List.of(5.0, 1.0, 3.0), 5);
        assertThat(shard).containsExactly(0, 2, 1);
    }

    @Test
    void shardSpecs() {
        assertThat(ShardSplit.Spec.parse("2/3")).isEqualTo(new ShardSplit.Spec(2, 3));
        assertThat(ShardSplit.Spec.parse("0/1").toString()).isEqualTo("0/1");
        for (String bad : List.of("3/3", "-1/3", "1/0", "1", "a/b", "1/2/3", "")) {
            assertThatThrownBy(() -> ShardSplit.Spec.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--shard");
        }
        assertThatThrownBy(() -> ShardSplit.assign(List.of(1.0), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
