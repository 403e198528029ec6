package ditvm.model.flops;

import static org.assertj.core.api.Assertions.assertThat;

import ditvm.model.DiTConfig;
import ditvm.model.Variant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Parameter counts against the DiT paper's printed millions (Table 4, Figure 5) and a hand count. */
class ParamCounterTest {

    /** The 17 published parameter counts in millions, as printed (rounded to the unit). */
    static Stream<Arguments> published() {
        return Stream.of(
                Arguments.of("DiT-S/8", 256, Variant.ADALN_ZERO, 33, "Table 4"),
                Arguments.of("DiT-S/4", 256, Variant.ADALN_ZERO, 33, "Table 4"),
                Arguments.of("DiT-S/2", 256, Variant.ADALN_ZERO, 33, "Table 4"),
                Arguments.of("DiT-B/8", 256, Variant.ADALN_ZERO, 131, "Table 4"),
                Arguments.of("DiT-B/4", 256, Variant.ADALN_ZERO, 130, "Table 4"),
                Arguments.of("DiT-B/2", 256, Variant.ADALN_ZERO, 130, "Table 4"),
                Arguments.of("DiT-L/8", 256, Variant.ADALN_ZERO, 459, "Table 4"),
                Arguments.of("DiT-L/4", 256, Variant.ADALN_ZERO, 458, "Table 4"),
                Arguments.of("DiT-L/2", 256, Variant.ADALN_ZERO, 458, "Table 4"),
                Arguments.of("DiT-XL/8", 256, Variant.ADALN_ZERO, 676, "Table 4"),
                Arguments.of("DiT-XL/4", 256, Variant.ADALN_ZERO, 675, "Table 4"),
                Arguments.of("DiT-XL/2", 256, Variant.ADALN_ZERO, 675, "Table 4"),
                Arguments.of("DiT-XL/2", 512, Variant.ADALN_ZERO, 675, "Table 4"),
                Arguments.of("DiT-XL/2", 256, Variant.IN_CONTEXT, 449, "Figure 5"),
                Arguments.of("DiT-XL/2", 256, Variant.CROSS_ATTENTION, 598, "Figure 5"),
                Arguments.of("DiT-XL/2", 256, Variant.ADALN, 600, "Figure 5"),
                Arguments.of("DiT-XL/2", 256, Variant.ADALN_ZERO, 675, "Figure 5"));
    }

    @ParameterizedTest(name = "{4}: {0} at {1}px, {2}: {3} M")
    @MethodSource("published")
    void roundsToThePrintedMillions(String model, int imageSize, Variant v, long paperMillions, String source) {
        ParamCount p = ParamCounter.count(DiTConfig.preset(model, imageSize), v);
        assertThat(Math.round(p.millions())).isEqualTo(paperMillions);
    }

    @Test
    void xl2AdaLNZeroExactly() {
        // 674,834,720 is the count of the official model's state_dict without pos_embed.
        assertThat(ParamCounter.count(DiTConfig.preset("DiT-XL/2"), Variant.ADALN_ZERO).total())
                .isEqualTo(674_834_720L);
    }

    @Test
    void parametersDoNotDependOnTheImageSize() {
        for (Variant v : Variant.values()) {
            assertThat(ParamCounter.count(DiTConfig.preset("DiT-L/4", 512), v).total())
                    .isEqualTo(ParamCounter.count(DiTConfig.preset("DiT-L/4", 256), v).total());
        }
    }

    // Tiny model: N = 2, D = 24, H = 3, p = 2, C = 4 -> 8 out, 10 classes; C p p = 16, p p out = 32.
    private static final DiTConfig TINY = new DiTConfig(2, 24, 3, 2, 8, 4, 10, true, 4);

    private static Map<String, Long> shared() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("patch_embed", 16L * 24 + 24);                   // 408
        m.put("t_mlp", (256L * 24 + 24) + (24L * 24 + 24));    // 6768
        m.put("label_embed", 11L * 24);                        // (10 + null) x D = 264
        m.put("qkv", 2 * (24L * 72 + 72));                     // 3600
        m.put("attn_proj", 2 * (24L * 24 + 24));               // 1200
        m.put("fc1", 2 * (24L * 96 + 96));                     // 4800
        m.put("fc2", 2 * (96L * 24 + 24));                     // 4656
        m.put("final_linear", 24L * 32 + 32);                  // 800
        return m;
    }

    @Test
    void tinyByHandForEveryVariant() {
        Map<String, Long> zero = shared();
        zero.put("adaln", 2 * (24L * 144 + 144));              // 7200
        zero.put("final_adaln", 24L * 48 + 48);                // 1200
        assertTiny(Variant.ADALN_ZERO, zero, 408 + 6768 + 264 + 3600 + 1200 + 4800 + 4656 + 800 + 7200 + 1200);

        Map<String, Long> adaln = shared();
        adaln.put("adaln", 2 * (24L * 96 + 96));               // 4800
        adaln.put("final_adaln", 24L * 48 + 48);
        assertTiny(Variant.ADALN, adaln, 408 + 6768 + 264 + 3600 + 1200 + 4800 + 4656 + 800 + 4800 + 1200);

        Map<String, Long> inContext = shared();
        inContext.put("block_norms", 2 * 2 * (2L * 24));       // N x 2 norms x (weight + bias) = 192
        inContext.put("final_norm", 2L * 24);                  // 48
        assertTiny(Variant.IN_CONTEXT, inContext, 408 + 6768 + 264 + 3600 + 1200 + 4800 + 4656 + 800 + 192 + 48);

        Map<String, Long> cross = shared();
        cross.put("block_norms", 2 * 3 * (2L * 24));           // 288
        cross.put("cross_q", 2 * (24L * 24 + 24));             // 1200
        cross.put("cross_kv", 2 * (24L * 48 + 48));            // 2400
        cross.put("cross_proj", 2 * (24L * 24 + 24));          // 1200
        cross.put("final_norm", 2L * 24);
        assertTiny(Variant.CROSS_ATTENTION, cross, 408 + 6768 + 264 + 3600 + 1200 + 4800 + 4656 + 800 + 288 + 1200
                + 2400 + 1200 + 48);
    }

    private static void assertTiny(Variant v, Map<String, Long> hand, long total) {
        ParamCount p = ParamCounter.count(TINY, v);
        assertThat(p.components()).as(v.cliName()).containsExactlyInAnyOrderEntriesOf(hand);
        assertThat(p.total()).as(v.cliName()).isEqualTo(total);
    }
}
