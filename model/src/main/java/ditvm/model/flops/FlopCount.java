package ditvm.model.flops;

import ditvm.model.DiTConfig;
import ditvm.model.Variant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The forward-pass cost of one model on one batch in the DiT paper's convention
 * (dit-spec.md section 4): MACs per component and LayerNorm output elements, both for the
 * whole batch.
 *
 * @param components        MACs per component, in forward order; only the components the
 *                          variant has (see {@link FlopCounter} for the names)
 * @param layerNormElements LayerNorm output elements over all blocks and the final layer
 */
public record FlopCount(DiTConfig config, Variant variant, int batch, Map<String, Long> components,
                        long layerNormElements) {

    public FlopCount {
        components = Collections.unmodifiableMap(new LinkedHashMap<>(components));
    }

    /** MACs of every matrix product. */
    public long macs() {
        long sum = 0;
        for (long m : components.values()) {
            sum = Math.addExact(sum, m);
        }
        return sum;
    }

    /** MACs of one component, 0 when the variant does not have it. */
    public long macs(String component) {
        return components.getOrDefault(component, 0L);
    }

    /** The paper's "Gflops": (MACs + LayerNorm elements) / 1e9, for this batch (the paper's figures are batch 1). */
    public double gflops() {
        return (macs() + layerNormElements) / 1e9;
    }
}
