package ditvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ditvm.harness.Row;
import ditvm.harness.RunResults;
import ditvm.harness.peers.PeerResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The --peers path end to end on a tiny custom model, every variant, on the java device: the models
 * exported by python3-torch, ONNX Runtime and libtorch (DJL, offline) from this module's jars, the
 * PyTorch peer over its pipe; every peer's output within 1e-4 of ditvm's; the report's columns.
 * No timing is asserted.
 */
class PeersEndToEndTest {
    static final String[] TINY = {"--model", "custom", "--depth", "2", "--hidden", "32", "--heads", "2", "--patch", "2",
        "--input-size", "8", "--num-classes", "10", "--warmup", "1", "--iterations", "2"};

    @BeforeAll
    static void needsTorch() throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import torch").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        boolean torch = p.waitFor() == 0;
        // CI installs python3-torch through make setup (scripts/setup-python-torch.sh): there it must be present
        if (!"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(torch, "/usr/bin/python3 has no torch: scripts/setup-python-torch.sh installs it");
        }
        assertThat(torch).as("/usr/bin/python3 with torch (scripts/setup-python-torch.sh)").isTrue();
    }

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void ablationWithEveryPeer(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        List<String> args = new ArrayList<>(List.of("ablation"));
        args.addAll(List.of(TINY));
        args.addAll(List.of("--batch", "2", "--device", "java", "--peers", "onnxruntime,libtorch,pytorch",
                "--peer-work", tmp.resolve("work").toString(), "--out", dir.toString(), "--json"));
        Run r = run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();

        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("rows")).hasSize(4);
        for (JsonNode row : json.get("rows")) {
            List<String> names = new ArrayList<>();
            row.get("peers").fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactly("onnxruntime", "libtorch", "pytorch");
            row.get("peers").forEach(v -> assertThat(v.asDouble()).isPositive());
        }

        RunResults results = RunResults.read(dir.resolve("results.json"));
        for (Row row : results.rows()) {
            for (PeerResult p : row.peers().values()) {
                assertThat(p.maxRelativeDiff()).as(row.variant() + " " + p.label()).isLessThanOrEqualTo(1e-4);
                assertThat(p.wallMs()).hasSize(2);
            }
            assertThat(row.peers().get("libtorch").description()).contains("libtorch 2.7.1");
            assertThat(row.peers().get("onnxruntime").description()).contains("ONNX Runtime 1.22");
        }
        String report = Files.readString(dir.resolve("report.md"));
        assertThat(report).contains("| vs ONNX Runtime | vs PyTorch 2.7 | vs PyTorch 1.13 |");
        assertThat(Files.readString(dir.resolve("results.csv")).lines().findFirst().orElseThrow())
                .contains(",onnxruntime_images_per_s,libtorch_images_per_s,pytorch_images_per_s,"); // the sampling columns follow
        // the cached exports are reused by the next run of the same model
        try (var models = Files.list(tmp.resolve("work"))) {
            assertThat(models.filter(m -> Files.exists(m.resolve("model.onnx")) && Files.exists(m.resolve("model.pt"))))
                    .hasSize(4);
        }
    }
}
