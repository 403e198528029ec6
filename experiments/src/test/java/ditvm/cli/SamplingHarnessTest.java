package ditvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ditvm.device.Device;
import ditvm.harness.Row;
import ditvm.harness.RunResults;
import ditvm.testing.TestDevices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** ablation and sweep with --sampling-steps N: sampling per row in results.json, the CSV, report.md and a plot. */
class SamplingHarnessTest {

    static Stream<Device> devices() {
        return TestDevices.all();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void ablationTimesFullSamplingPerVariant(Device device, @TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        HarnessCommandsTest.Run r = HarnessCommandsTest.run(HarnessCommandsTest.concat(HarnessCommandsTest.concat(
                new String[] {"ablation"}, HarnessCommandsTest.TINY), "--batch", "2", "--variants", "adaln-zero,cross-attention",
                "--sampling-steps", "3", "--device", device.id(), "--out", dir.toString(), "--json"));
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode rows = new ObjectMapper().readTree(r.out()).get("rows");
        assertThat(rows).hasSize(2);
        for (JsonNode row : rows) {
            JsonNode s = row.get("sampling");
            assertThat(s.get("steps").asInt()).isEqualTo(3);
            for (String key : List.of("seconds_per_step", "sampling_s", "images_per_s", "forward_doubled_ms", "step_over_forward")) {
                assertThat(s.get(key).asDouble()).as(key).isPositive();
            }
        }
        RunResults results = RunResults.read(dir.resolve("results.json"));
        Row.Sampling s = results.rows().getFirst().sampling();
        assertThat(s.stepMs()).hasSize(3);
        assertThat(s.forwardMs()).hasSize(3);
        assertThat(s.sampler()).isEqualTo("ddpm");
        assertThat(s.cfgScale()).isEqualTo(4.0);
        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertThat(csv.getFirst()).endsWith("sampling_steps,sampling_s_per_step,sampling_s,sampling_images_per_s,forward_doubled_ms");
        String outsideQuotes = ",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)"; // a device name may hold a comma, quoted
        assertThat(csv.get(1).split(outsideQuotes, -1)).hasSameSizeAs(csv.getFirst().split(",", -1));
        assertThat(Files.readString(dir.resolve("report.md"))).contains("## Sampling").contains("| custom 64 | 2 | " + device.id());
        assertThat(dir.resolve("sampling.png")).isNotEmptyFile();
        assertThat(dir.resolve("sampling.svg")).isNotEmptyFile();
        // report rebuilds the same markdown from results.json
        byte[] before = Files.readAllBytes(dir.resolve("report.md"));
        assertThat(HarnessCommandsTest.run("report", dir.toString()).exit()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("report.md"))).isEqualTo(before);
    }

    @Test
    void sweepTakesItToo(@TempDir Path tmp) {
        Path dir = tmp.resolve("sweep");
        HarnessCommandsTest.Run r = HarnessCommandsTest.run(HarnessCommandsTest.concat(HarnessCommandsTest.concat(
                new String[] {"sweep"}, HarnessCommandsTest.TINY), "--batches", "1", "--variants", "adaln", "--devices", "java",
                "--sampling-steps", "2", "--out", dir.toString()));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("sampling 2 steps");
        assertThat(RunResults.read(dir.resolve("results.json")).rows().getFirst().sampling().steps()).isEqualTo(2);
    }

    @Test
    void rowsWithoutSamplingHaveEmptyColumns(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        assertThat(HarnessCommandsTest.run(HarnessCommandsTest.concat(HarnessCommandsTest.concat(new String[] {"ablation"},
                HarnessCommandsTest.TINY), "--batch", "1", "--variants", "adaln-zero", "--device", "java", "--out",
                dir.toString())).exit()).isZero();
        assertThat(Files.readAllLines(dir.resolve("results.csv")).get(1)).endsWith(",,,,");
        assertThat(Files.readString(dir.resolve("report.md"))).doesNotContain("## Sampling");
        assertThat(dir.resolve("sampling.png")).doesNotExist();
    }

    @Test
    void badSamplingStepsGiveOneLineExit2(@TempDir Path tmp) {
        for (String steps : List.of("-1", "1001")) {
            HarnessCommandsTest.Run r = HarnessCommandsTest.run("ablation", "--sampling-steps", steps, "--device", "java",
                    "--out", tmp.resolve("x" + steps).toString());
            assertThat(r.exit()).as(r.err()).isEqualTo(2);
            assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).contains("--sampling-steps must be in 0..1000");
            assertThat(tmp.resolve("x" + steps)).doesNotExist();
        }
    }
}
