package ditvm.model.weights;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ditvm.memory.FloatArray;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reads the fixtures made by experiments/reference/make_fixtures.py (PyTorch): the official
 * weight names and shapes for each variant, the io tensors, the F16/BF16 copies.
 */
class SafeTensorsFixturesTest {
    private static final Path DIR = fixturesDir();

    private static Path fixturesDir() {
        try {
            return Path.of(SafeTensorsFixturesTest.class.getResource("/fixtures/fixtures.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<JsonNode> fixtures() throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(DIR.resolve("fixtures.json").toFile());
        List<JsonNode> all = new ArrayList<>();
        manifest.get("fixtures").forEach(all::add);
        assertThat(all).extracting(f -> f.get("variant").asText())
                .contains("adaln-zero", "adaln", "in-context", "cross-attention");
        return all.stream();
    }

    /** The official state_dict names and shapes of a variant, from dit-spec.md sections 2 and 3. */
    private static java.util.Map<String, long[]> expectedShapes(String variant, JsonNode cfg) {
        int depth = cfg.get("depth").asInt();
        long d = cfg.get("hidden").asLong();
        long c = cfg.get("in_channels").asLong();
        long p = cfg.get("patch").asLong();
        long out = cfg.get("out_channels").asLong();
        long t = cfg.get("tokens").asLong();
        long classes = cfg.get("num_classes").asLong();
        var m = new java.util.TreeMap<String, long[]>();
        m.put("x_embedder.proj.weight", new long[] {d, c, p, p});
        m.put("x_embedder.proj.bias", new long[] {d});
        m.put("pos_embed", new long[] {1, t, d});
        m.put("t_embedder.mlp.0.weight", new long[] {d, 256});
        m.put("t_embedder.mlp.0.bias", new long[] {d});
        m.put("t_embedder.mlp.2.weight", new long[] {d, d});
        m.put("t_embedder.mlp.2.bias", new long[] {d});
        m.put("y_embedder.embedding_table.weight", new long[] {classes + 1, d});
        for (int i = 0; i < depth; i++) {
            String b = "blocks." + i + ".";
            linear(m, b + "attn.qkv", 3 * d, d);
            linear(m, b + "attn.proj", d, d);
            linear(m, b + "mlp.fc1", 4 * d, d);
            linear(m, b + "mlp.fc2", d, 4 * d);
            switch (variant) {
                case "adaln-zero" -> linear(m, b + "adaLN_modulation.1", 6 * d, d);
                case "adaln" -> linear(m, b + "adaLN_modulation.1", 4 * d, d);
                case "in-context" -> {
                    linear(m, b + "norm1", d, -1);
                    linear(m, b + "norm2", d, -1);
                }
                case "cross-attention" -> {
                    linear(m, b + "norm1", d, -1);
                    linear(m, b + "norm2", d, -1);
                    linear(m, b + "norm3", d, -1);
                    linear(m, b + "cross_attn.q", d, d);
                    linear(m, b + "cross_attn.kv", 2 * d, d);
                    linear(m, b + "cross_attn.proj", d, d);
                }
                default -> throw new AssertionError(variant);
            }
        }
        if (variant.startsWith("adaln")) {
            linear(m, "final_layer.adaLN_modulation.1", 2 * d, d);
        } else {
            linear(m, "final_layer.norm_final", d, -1);
        }
        linear(m, "final_layer.linear", p * p * out, d);
        return m;
    }

    /** weight [out, in] and bias [out]; in < 0 for a LayerNorm's weight [out]. */
    private static void linear(java.util.Map<String, long[]> m, String name, long out, long in) {
        m.put(name + ".weight", in < 0 ? new long[] {out} : new long[] {out, in});
        m.put(name + ".bias", new long[] {out});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void weightsHaveTheOfficialNamesAndShapes(JsonNode fixture) {
        String variant = fixture.get("variant").asText();
        var expected = expectedShapes(variant, fixture.get("config"));
        try (SafeTensors st = SafeTensors.open(DIR.resolve(fixture.get("weights").asText()))) {
            assertThat(st.names()).containsExactlyElementsOf(expected.keySet());
            for (var e : expected.entrySet()) {
                assertThat(st.shape(e.getKey())).as(e.getKey()).containsExactly(e.getValue());
                assertThat(st.dtype(e.getKey())).isEqualTo(DType.F32);
            }
            assertThat(st.metadata()).containsEntry("variant", variant);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void ioHoldsInputsAndExpectedOutputs(JsonNode fixture) {
        JsonNode cfg = fixture.get("config");
        long b = fixture.get("batch").asLong();
        long c = cfg.get("in_channels").asLong();
        long i = cfg.get("input_size").asLong();
        long out = cfg.get("out_channels").asLong();
        try (SafeTensors st = SafeTensors.open(DIR.resolve(fixture.get("io").asText()));
             FloatArray x = st.floats("x", b, c, i, i);
             FloatArray t = st.floats("t", b)) {
            assertThat(st.names()).containsExactly("cfg_out", "cfg_out_all", "out", "t", "x", "y");
            assertThat(x.toArray()).hasSize((int) (b * c * i * i)).doesNotContain(Float.NaN);
            for (String key : List.of("out", "cfg_out", "cfg_out_all")) {
                assertThat(st.shape(key)).as(key).containsExactly(b, out, i, i);
            }
            assertThat(st.dtype("y")).isEqualTo(DType.I64);
            long[] y = st.longs("y");
            for (int k = 0; k < b; k++) {
                assertThat(y[k]).isEqualTo(fixture.get("y").get(k).asLong());
                assertThat(t.get(k)).isEqualTo((float) fixture.get("t").get(k).asDouble());
            }
            assertThat(y).contains(cfg.get("num_classes").asLong()); // the null class is exercised
            assertThat(st.metadata()).containsEntry("cfg_scale", "4.0").containsEntry("cfg_guided_channels", "3");
        }
    }

    @Test
    void posEmbedIsTheSinCosTable() {
        // dit-spec.md section 2 step 2: first D/2 channels the column, last D/2 the row;
        // each half [sin(pos w_k)] ++ [cos(pos w_k)], w_k = 1/10000^(k/(D/4)); float64, then float32
        try (SafeTensors st = SafeTensors.open(DIR.resolve("in-context-weights.safetensors"))) {
            long[] shape = st.shape("pos_embed");
            int t = (int) shape[1];
            int d = (int) shape[2];
            int grid = (int) Math.round(Math.sqrt(t));
            try (FloatArray pos = st.floats("pos_embed")) {
                for (int token = 0; token < t; token++) {
                    for (int ch = 0; ch < d; ch++) {
                        int half = ch / (d / 2);
                        int within = ch % (d / 2);
                        int k = within % (d / 4);
                        double position = half == 0 ? token % grid : token / grid;
                        double w = 1.0 / Math.pow(10000, k / (d / 4.0));
                        double v = within < d / 4 ? Math.sin(position * w) : Math.cos(position * w);
                        assertThat((double) pos.get((long) token * d + ch)).as("token %d channel %d", token, ch)
                                .isCloseTo(v, org.assertj.core.data.Offset.offset(1e-7));
                    }
                }
            }
        }
    }

    @Test
    void f16AndBf16CopiesAreTheF32WeightsRoundedToNearestEven() {
        try (SafeTensors f32 = SafeTensors.open(DIR.resolve("adaln-zero-weights.safetensors"));
             SafeTensors f16 = SafeTensors.open(DIR.resolve("adaln-zero-weights-f16.safetensors"));
             SafeTensors bf16 = SafeTensors.open(DIR.resolve("adaln-zero-weights-bf16.safetensors"))) {
            assertThat(f16.names()).isEqualTo(f32.names());
            assertThat(bf16.names()).isEqualTo(f32.names());
            for (String name : f32.names()) {
                assertThat(f16.dtype(name)).isEqualTo(DType.F16);
                assertThat(bf16.dtype(name)).isEqualTo(DType.BF16);
                assertThat(f16.shape(name)).isEqualTo(f32.shape(name));
                try (FloatArray w = f32.floats(name); FloatArray h = f16.floats(name); FloatArray b = bf16.floats(name)) {
                    for (long k = 0; k < w.length(); k++) {
                        float v = w.get(k);
                        assertThat(h.get(k)).as("%s[%d] F16", name, k).isEqualTo(Float.float16ToFloat(Float.floatToFloat16(v)));
                        assertThat(b.get(k)).as("%s[%d] BF16", name, k).isEqualTo(bf16RoundNearestEven(v));
                    }
                }
            }
        }
    }

    private static float bf16RoundNearestEven(float v) {
        int bits = Float.floatToRawIntBits(v);
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return Float.intBitsToFloat(rounded & 0xFFFF0000);
    }

    @Test
    void officialInitZeroesTheAdaLNAndFinalLayers() {
        try (SafeTensors st = SafeTensors.open(DIR.resolve("adaln-zero-init-weights.safetensors"));
             SafeTensors io = SafeTensors.open(DIR.resolve("adaln-zero-init-io.safetensors"))) {
            Set<String> zero = new TreeSet<>();
            for (String name : st.names()) {
                if (name.contains("adaLN_modulation") || name.startsWith("final_layer.linear")) {
                    zero.add(name);
                }
            }
            assertThat(zero).hasSize(2 * 2 + 2 + 2); // 2 blocks' adaLN, final adaLN, final linear; weight + bias each
            for (String name : zero) {
                try (FloatArray a = st.floats(name)) {
                    assertThat(a.toArray()).as(name).containsOnly(0f);
                }
            }
            try (FloatArray qkv = st.floats("blocks.0.attn.qkv.weight"); FloatArray out = io.floats("out")) {
                assertThat(qkv.toArray()).as("xavier-uniform, not zero").doesNotContain(0f);
                assertThat(out.toArray()).containsOnly(0f);
            }
        }
    }
}
