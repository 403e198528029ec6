package ditvm.model.weights;

import ditvm.memory.FloatArray;
import ditvm.model.DiTConfig;
import ditvm.model.Variant;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The weights of one DiT variant by official name, each a float32 array in PyTorch's layout.
 * Owns its arrays (or, for a memory-mapped file, the file they view) and frees them on close.
 */
public final class DiTWeights implements AutoCloseable {
    private final DiTConfig config;
    private final Variant variant;
    private final WeightSpec spec;
    private final Map<String, FloatArray> arrays;
    private final AutoCloseable backing; // the mapped file views point into, or null

    DiTWeights(DiTConfig config, Variant variant, Map<String, FloatArray> arrays, AutoCloseable backing) {
        this.config = config;
        this.variant = variant;
        this.spec = WeightSpec.of(config, variant);
        this.arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
        this.backing = backing;
    }

    /**
     * The official initialisation (dit-spec.md section 2), deterministic for a seed: each tensor
     * draws from its own generator seeded by (seed, name), so the values do not depend on the
     * order tensors are created in, the device, or the run.
     */
    public static DiTWeights initialize(DiTConfig config, Variant variant, long seed) {
        Map<String, FloatArray> m = new LinkedHashMap<>();
        for (WeightSpec.Tensor t : WeightSpec.of(config, variant).tensors().values()) {
            m.put(t.name(), initTensor(t, seed));
        }
        return new DiTWeights(config, variant, m, null);
    }

    /**
     * Weights from arrays by official name (ownership passes to the result); names and shapes
     * are checked against the variant's {@link WeightSpec}.
     */
    public static DiTWeights fromArrays(DiTConfig config, Variant variant, Map<String, FloatArray> arrays) {
        WeightSpec spec = WeightSpec.of(config, variant);
        Set<String> missing = new TreeSet<>(spec.tensors().keySet());
        missing.removeAll(arrays.keySet());
        Set<String> unexpected = new TreeSet<>(arrays.keySet());
        unexpected.removeAll(spec.tensors().keySet());
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException("weights for " + config.describe() + " " + variant + ": missing " + missing
                    + ", unexpected " + unexpected);
        }
        for (WeightSpec.Tensor t : spec.tensors().values()) {
            if (arrays.get(t.name()).length() != t.elements()) {
                throw new IllegalArgumentException("weight " + t + ": expected " + t.elements() + " elements, found "
                        + arrays.get(t.name()).length());
            }
        }
        return new DiTWeights(config, variant, arrays, null);
    }

    /**
     * Random non-zero weights for every tensor, including those the official init zeroes
     * (tests: zero init hides bugs). Uniform in [-scale, scale), LayerNorm weights around 1.
     */
    public static DiTWeights random(DiTConfig config, Variant variant, long seed, float scale) {
        Map<String, FloatArray> m = new LinkedHashMap<>();
        for (WeightSpec.Tensor t : WeightSpec.of(config, variant).tensors().values()) {
            SplittableRandom r = generator(seed, t.name());
            FloatArray a = new FloatArray(t.elements());
            float base = t.init() == WeightSpec.Init.ONE ? 1f : 0f;
            for (long i = 0; i < a.length(); i++) {
                a.set(i, base + (float) ((r.nextDouble() * 2 - 1) * scale));
            }
            m.put(t.name(), a);
        }
        return new DiTWeights(config, variant, m, null);
    }

    private static SplittableRandom generator(long seed, String name) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ name.hashCode());
    }

    private static FloatArray initTensor(WeightSpec.Tensor t, long seed) {
        FloatArray a = new FloatArray(t.elements());
        SplittableRandom r = generator(seed, t.name());
        switch (t.init()) {
            case ZERO -> { }
            case ONE -> a.fill(1f);
            case NORMAL_002 -> {
                for (long i = 0; i < a.length(); i++) {
                    a.set(i, (float) (0.02 * r.nextGaussian()));
                }
            }
            case XAVIER -> {
                long fanOut = t.shape()[0];
                long fanIn = t.elements() / fanOut; // conv [D, C, p, p] viewed as [D, C*p*p]
                double bound = Math.sqrt(6.0 / (fanIn + fanOut));
                for (long i = 0; i < a.length(); i++) {
                    a.set(i, (float) ((r.nextDouble() * 2 - 1) * bound));
                }
            }
        }
        return a;
    }

    /**
     * Weights from a safetensors file with the official names. Everything is checked before
     * anything is used: missing and unexpected keys are listed, a shape mismatch names the
     * tensor, what was expected and what was found. F32 tensors stay memory-mapped (views);
     * F16/BF16 are converted. {@code pos_embed} may be present (it is recomputed, not read).
     */
    public static DiTWeights load(Path file, DiTConfig config, Variant variant) {
        WeightSpec spec = WeightSpec.of(config, variant);
        SafeTensors st = SafeTensors.open(file);
        try {
            Set<String> missing = new TreeSet<>(spec.tensors().keySet());
            missing.removeAll(st.names());
            Set<String> unexpected = new TreeSet<>(st.names());
            unexpected.removeAll(spec.tensors().keySet());
            unexpected.remove(WeightSpec.POS_EMBED);
            if (!missing.isEmpty() || !unexpected.isEmpty()) {
                throw new WeightsException(file, "the weights do not match " + config.describe() + " " + variant
                        + ": missing " + missing + ", unexpected " + unexpected);
            }
            for (WeightSpec.Tensor t : spec.tensors().values()) {
                st.requireShape(t.name(), t.shape());
            }
            Map<String, FloatArray> m = new LinkedHashMap<>();
            for (WeightSpec.Tensor t : spec.tensors().values()) {
                m.put(t.name(), st.floats(t.name()));
            }
            return new DiTWeights(config, variant, m, st);
        } catch (RuntimeException e) {
            st.close();
            throw e;
        }
    }

    /** Writes every tensor (and pos_embed [1, T, D]) under its official name, atomically. */
    public void save(Path file) {
        try (FloatArray pos = PositionEmbedding.sinCos2d(config.hidden(), config.gridSize())) {
            SafeTensorsWriter w = new SafeTensorsWriter()
                    .metadata("ditvm.variant", variant.cliName())
                    .metadata("ditvm.config", config.describe());
            for (WeightSpec.Tensor t : spec.tensors().values()) {
                w.put(t.name(), get(t.name()), t.shape());
            }
            w.put(WeightSpec.POS_EMBED, pos, 1, config.tokens(), config.hidden());
            w.write(file);
        }
    }

    public DiTConfig config() {
        return config;
    }

    public Variant variant() {
        return variant;
    }

    public WeightSpec spec() {
        return spec;
    }

    /** The tensor by official name, [out, in] for Linear weights. */
    public FloatArray get(String name) {
        FloatArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no weight '" + name + "' for " + variant + "; the model has "
                    + arrays.size() + " tensors");
        }
        return a;
    }

    public Map<String, FloatArray> all() {
        return arrays;
    }

    @Override
    public void close() {
        arrays.values().forEach(FloatArray::close);
        if (backing != null) {
            try {
                backing.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the weights file: " + e.getMessage(), e);
            }
        }
    }
}
