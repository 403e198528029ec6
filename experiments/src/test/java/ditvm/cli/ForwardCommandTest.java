package ditvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ditvm.device.Device;
import ditvm.memory.FloatArray;
import ditvm.model.weights.SafeTensors;
import ditvm.model.weights.SafeTensorsWriter;
import ditvm.testing.TestDevices;
import ditvm.testing.Tolerance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** `ditvm forward` per CLI.md: safetensors in and out, the PyTorch fixture's output, clear errors. */
class ForwardCommandTest {
    static final Path FIXTURES = SelfCheckCommandTest.FIXTURES;
    // the adaln-zero fixture: depth 2, hidden 24, 3 heads, patch 2, input 8, 10 classes
    static final String[] MODEL = {"--model", "custom", "--depth", "2", "--hidden", "24", "--heads", "3", "--patch", "2",
        "--input-size", "8", "--num-classes", "10"};

    static String[] args(String... more) {
        return HarnessCommandsTest.concat(HarnessCommandsTest.concat(new String[] {"forward"}, MODEL), more);
    }

    static Stream<Device> devices() {
        return TestDevices.all();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void forwardWritesTheReferenceOutput(Device device, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.safetensors");
        HarnessCommandsTest.Run r = HarnessCommandsTest.run(args("--input", FIXTURES.resolve("adaln-zero-io.safetensors").toString(),
                "--weights", FIXTURES.resolve("adaln-zero-weights.safetensors").toString(), "--output", out.toString(),
                "--device", device.id(), "--json"));
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("device").asText()).isEqualTo(device.id());
        assertThat(json.get("seconds").asDouble()).isPositive();
        assertThat(json.get("output").asText()).isEqualTo(out.toString());
        try (SafeTensors got = SafeTensors.open(out); SafeTensors ref = SafeTensors.open(FIXTURES.resolve("adaln-zero-io.safetensors"));
             FloatArray o = got.floatsCopy("out"); FloatArray e = ref.floatsCopy("out")) {
            assertThat(got.shape("out")).containsExactly(3, 8, 8, 8);
            Tolerance.assertClose("forward on " + device.id(), o.toArray(), e.toArray(), Tolerance.FP32);
        }
    }

    @Test
    void guidedForwardMatchesTheReference(@TempDir Path dir) {
        Path out = dir.resolve("out.safetensors");
        HarnessCommandsTest.Run r = HarnessCommandsTest.run(args("--input", FIXTURES.resolve("adaln-zero-io.safetensors").toString(),
                "--weights", FIXTURES.resolve("adaln-zero-weights.safetensors").toString(), "--output", out.toString(),
                "--device", "java", "--cfg-scale", "4", "--guided-channels", "all"));
        assertThat(r.exit()).as(r.err()).isZero();
        try (SafeTensors got = SafeTensors.open(out); SafeTensors ref = SafeTensors.open(FIXTURES.resolve("adaln-zero-io.safetensors"));
             FloatArray o = got.floatsCopy("out"); FloatArray e = ref.floatsCopy("cfg_out_all")) {
            Tolerance.assertClose("forward with guidance", o.toArray(), e.toArray(), Tolerance.FP32);
        }
    }

    @Test
    void badInputGivesOneLineExit2AndNoOutput(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.safetensors");
        Path wrongShape = dir.resolve("x.safetensors");
        new SafeTensorsWriter().put("x", new float[2 * 4 * 6 * 6], 2, 4, 6, 6).put("t", new float[2], 2)
                .putLongs("y", new long[2], 2).write(wrongShape);
        String[][] bad = {
            args("--input", dir.resolve("missing.safetensors").toString(), "--output", out.toString(), "--device", "java"),
            args("--input", wrongShape.toString(), "--output", out.toString(), "--device", "java"),
            args("--input", FIXTURES.resolve("adaln-zero-io.safetensors").toString(), "--output", out.toString(),
                    "--weights", FIXTURES.resolve("in-context-weights.safetensors").toString(), "--device", "java"),
            args("--input", FIXTURES.resolve("adaln-zero-io.safetensors").toString(), "--output", out.toString(),
                    "--seed", "1", "--weights", FIXTURES.resolve("adaln-zero-weights.safetensors").toString()),
        };
        for (String[] a : bad) {
            HarnessCommandsTest.Run r = HarnessCommandsTest.run(a);
            assertThat(r.exit()).as(r.err()).isEqualTo(2);
            assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
            assertThat(Files.exists(out)).as("nothing written").isFalse();
        }
        assertThat(HarnessCommandsTest.run(bad[1]).err()).contains("expected shape [B, 4, 8, 8]").contains("found [2, 4, 6, 6]");
    }
}
