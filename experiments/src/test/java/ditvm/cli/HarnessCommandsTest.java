package ditvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ditvm.device.Device;
import ditvm.harness.RunResults;
import ditvm.testing.TestDevices;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** ablation, sweep and report end to end on a tiny custom model. */
class HarnessCommandsTest {
    static final String[] TINY = {"--model", "custom", "--depth", "2", "--hidden", "32", "--heads", "2", "--patch", "2",
        "--input-size", "8", "--num-classes", "10", "--warmup", "1", "--iterations", "2"};

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

    static String[] concat(String[] a, String... b) {
        List<String> l = new ArrayList<>(List.of(a));
        l.addAll(List.of(b));
        return l.toArray(String[]::new);
    }

    static Stream<Device> devices() {
        return TestDevices.all();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void tinyAblationEndToEnd(Device device, @TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        Run r = run(concat(concat(new String[] {"ablation"}, TINY), "--batch", "2", "--device", device.id(),
                "--out", dir.toString(), "--json"));
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("run_dir").asText()).isEqualTo(dir.toString());
        assertThat(json.get("rows")).hasSize(4);
        List<String> variants = new ArrayList<>();
        for (JsonNode row : json.get("rows")) {
            variants.add(row.get("variant").asText());
            for (String key : List.of("model", "batch", "device", "params", "gflops", "median_ms", "p10_ms", "p90_ms",
                    "images_per_s", "achieved_gflops_per_s", "compile_s")) {
                assertThat(row.has(key)).as("row has " + key).isTrue();
            }
            assertThat(row.get("device").asText()).isEqualTo(device.id());
            assertThat(row.get("median_ms").asDouble()).isPositive();
            assertThat(row.get("p10_ms").asDouble()).isLessThanOrEqualTo(row.get("p90_ms").asDouble());
        }
        assertThat(variants).containsExactly("adaln-zero", "adaln", "in-context", "cross-attention");
        for (String f : List.of("results.json", "results.csv", "report.md", "throughput.png", "throughput.svg",
                "gflops-vs-time.png", "gflops-vs-time.svg")) {
            assertThat(dir.resolve(f)).isNotEmptyFile();
        }
        RunResults results = RunResults.read(dir.resolve("results.json"));
        assertThat(results.command()).startsWith("bin/ditvm ablation --model custom");
        assertThat(results.rows().getFirst().wallMs()).hasSize(2);
        assertThat(results.environment()).containsKeys("jvm", "os", "cpu", "git_commit", "devices");
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).as("no staging folder left").containsExactly("run");
        }
    }

    @Test
    void reportRebuildsByteIdenticalMarkdown(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        assertThat(run(concat(concat(new String[] {"ablation"}, TINY), "--batch", "1", "--device", "java",
                "--variants", "adaln-zero,in-context", "--out", dir.toString())).exit()).isZero();
        byte[] before = Files.readAllBytes(dir.resolve("report.md"));
        Files.delete(dir.resolve("report.md"));
        Files.delete(dir.resolve("throughput.png"));
        Run r = run("report", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("report.md"))).isEqualTo(before);
        assertThat(dir.resolve("throughput.png")).isNotEmptyFile();
    }

    @Test
    void anInterruptedSweepKeepsItsRowsAndTheRerunSkipsThem(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        String[] sweep = concat(concat(new String[] {"sweep"}, TINY), "--batches", "1", "--devices", "java",
                "--out", dir.toString());
        // First run measures one variant; then the process "dies" mid-way through writing a second row.
        assertThat(run(concat(sweep, "--variants", "adaln-zero")).exit()).isZero();
        String firstRow = Files.readString(dir.resolve("rows.jsonl"));
        Files.writeString(dir.resolve("rows.jsonl"), "{\"variant\":\"adaln\",\"mod", java.nio.file.StandardOpenOption.APPEND);
        Run r = run(concat(sweep, "--variants", "adaln-zero,adaln"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("resuming").contains("custom adaln-zero batch 1 on java: done in an earlier run, skipped");
        RunResults results = RunResults.read(dir.resolve("results.json"));
        assertThat(results.rows()).extracting(ditvm.harness.Row::variant).containsExactly("adaln-zero", "adaln");
        JsonNode kept = RunResults.JSON.readTree(firstRow);
        assertThat(results.rows().getFirst().medianMs()).as("the finished row is kept as measured")
                .isEqualTo(kept.get("median_ms").asDouble());
    }

    @Test
    void badFlagsGiveOneLineAndExitCode2(@TempDir Path tmp) {
        List<String[]> bad = List.of(
                new String[] {"ablation", "--batch", "0"},
                new String[] {"ablation", "--variants", "adaln-zero,nope"},
                new String[] {"ablation", "--device", "opencl:7:7"},
                new String[] {"ablation", "--frobnicate"},
                new String[] {"ablation", "--iterations", "0"},
                new String[] {"sweep", "--batches", "1,x"},
                new String[] {"sweep", "--models", "DiT-S/2,,DiT-B/2"},
                new String[] {"report", tmp.resolve("nothing-here").toString()});
        for (String[] args : bad) {
            Run r = run(args);
            assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip().lines().count()).as(String.join(" ", args) + ": one line, got: " + r.err()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
        }
    }
}
