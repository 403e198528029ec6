package ditvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code ditvm flops} and {@code ditvm paper-table} through the real command line (CLI.md is the contract). */
class FlopsCommandTest {

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return Json.MAPPER.readTree(out);
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void flopsJsonHasTheContractKeysAndThePaperCount() throws Exception {
        Run r = run("flops", "--model", "DiT-XL/2", "--json");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        JsonNode j = r.json();
        assertThat(j.properties()).extracting(e -> e.getKey()).containsExactly("model", "variant", "image_size",
                "input_size", "batch", "macs", "layernorm_elements", "gflops", "params", "components");
        assertThat(j.get("model").asText()).isEqualTo("DiT-XL/2");
        assertThat(j.get("variant").asText()).isEqualTo("adaln-zero");
        assertThat(j.get("image_size").asInt()).isEqualTo(256);
        assertThat(j.get("input_size").asInt()).isEqualTo(32);
        assertThat(j.get("batch").asInt()).isEqualTo(1);
        assertThat(j.get("macs").asLong()).isEqualTo(118_621_421_568L);
        assertThat(j.get("layernorm_elements").asLong()).isEqualTo(16_809_984L);
        assertThat(j.get("gflops").asDouble()).isEqualTo(118.638231552);
        assertThat(j.get("params").asLong()).isEqualTo(674_834_720L);
        long sum = 0;
        for (JsonNode m : j.get("components")) {
            sum += m.asLong();
        }
        assertThat(sum).isEqualTo(118_621_421_568L);
        assertThat(j.get("components").get("adaln").asLong()).isEqualTo(28L * 1152 * 6 * 1152);
    }

    @Test
    void customModelVariantAndBatch() throws Exception {
        Run r = run("flops", "--model", "custom", "--depth", "2", "--hidden", "24", "--heads", "3", "--patch", "2",
                "--input-size", "8", "--num-classes", "10", "--variant", "in-context", "--batch", "3", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("model").asText()).isEqualTo("custom");
        assertThat(j.get("variant").asText()).isEqualTo("in-context");
        assertThat(j.get("image_size").asInt()).isEqualTo(64);
        assertThat(j.get("batch").asInt()).isEqualTo(3);
        // 3 x (hand count of FlopCounterTest.tinyInContextByHand: 305088 MACs, 2112 LayerNorm elements)
        assertThat(j.get("macs").asLong()).isEqualTo(3L * 305_088);
        assertThat(j.get("layernorm_elements").asLong()).isEqualTo(3L * 2112);
        assertThat(j.get("components").has("adaln")).isFalse();
    }

    @Test
    void humanOutputNamesTheModelAndGflops() {
        Run r = run("flops", "--model", "DiT-S/8", "--image-size", "512");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("DiT-S/8").contains("input 64x64").contains("Gflops").contains("patch_embed");
    }

    @Test
    void badFlagIsOneLineOnStderrAndExit2() {
        Run r = run("flops", "--no-such-flag");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).hasSize(1).first().asString().startsWith("ditvm: ").contains("--no-such-flag");
    }

    @Test
    void inconsistentModelOptionsAreUsageErrors() {
        assertUsage(run("flops", "--image-size", "256", "--input-size", "32", "--json"),
                "give --image-size (pixels) or --input-size (latent grid), not both");
        assertUsage(run("flops", "--model", "custom", "--depth", "2", "--hidden", "24", "--json"),
                "--model custom needs --depth, --hidden, --heads and --patch; missing --heads, --patch");
        assertUsage(run("flops", "--model", "DiT-B/2", "--depth", "3"), "--depth only apply to --model custom");
        assertUsage(run("flops", "--model", "DiT-Q/2"), "unknown model 'DiT-Q/2': expected one of DiT-S/2");
        assertUsage(run("flops", "--variant", "film"), "unknown variant 'film'");
        assertUsage(run("flops", "--variants", "all"), "this command runs one variant");
        assertUsage(run("flops", "--image-size", "250"), "image size must be a positive multiple of 8");
        assertUsage(run("flops", "--learn-sigma", "maybe"), "--learn-sigma");
        assertUsage(run("flops", "--batch", "0"), "--batch must be >= 1, found 0");
        assertUsage(run("flops", "--model", "custom", "--depth", "2", "--hidden", "25", "--heads", "3", "--patch", "2"),
                "hidden must be divisible by heads, found hidden 25 and heads 3");
    }

    private static void assertUsage(Run r, String message) {
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).hasSize(1).first().asString().contains(message);
    }

    @Test
    void paperTableJsonHasTheSeventeenRowsWithinOneHundredth() throws Exception {
        Run r = run("paper-table", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode rows = r.json();
        assertThat(rows).hasSize(17);
        for (JsonNode row : rows) {
            assertThat(row.properties()).extracting(e -> e.getKey()).containsExactly("model", "variant", "image_size",
                    "paper_gflops", "gflops", "paper_params_m", "params");
            assertThat(row.get("gflops").asDouble()).as(row.toString())
                    .isCloseTo(row.get("paper_gflops").asDouble(), org.assertj.core.api.Assertions.within(0.01));
            assertThat(Math.round(row.get("params").asLong() / 1e6)).as(row.toString())
                    .isEqualTo(row.get("paper_params_m").asLong());
        }
    }

    @Test
    void paperTableMarkdownNamesItsCommand() {
        Run r = run("paper-table", "--markdown");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains(PaperTableCommand.REGENERATE).contains("| DiT-XL/2 | cross-attention | 256 |");
        assertUsage(run("paper-table", "--markdown", "--json"), "give --json or --markdown, not both");
    }
}
