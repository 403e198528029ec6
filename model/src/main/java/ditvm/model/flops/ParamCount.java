package ditvm.model.flops;

import ditvm.model.DiTConfig;
import ditvm.model.Variant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trainable parameters of one model (weights and biases; the fixed position embedding
 * excluded), per component in forward order (see {@link ParamCounter} for the names).
 */
public record ParamCount(DiTConfig config, Variant variant, Map<String, Long> components) {

    public ParamCount {
        components = Collections.unmodifiableMap(new LinkedHashMap<>(components));
    }

    public long total() {
        long sum = 0;
        for (long p : components.values()) {
            sum = Math.addExact(sum, p);
        }
        return sum;
    }

    /** Parameters of one component, 0 when the variant does not have it. */
    public long params(String component) {
        return components.getOrDefault(component, 0L);
    }

    /** Total in millions, as the paper prints it (rounded there). */
    public double millions() {
        return total() / 1e6;
    }
}
