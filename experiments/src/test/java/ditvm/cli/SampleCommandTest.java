package ditvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ditvm.device.Device;
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

/** `ditvm sample` per CLI.md: the float64 reference from a noise file, the JSON, progress, clear errors. */
class SampleCommandTest {
    static final Path FIXTURES = SelfCheckCommandTest.FIXTURES;
    static final Path DDPM = FIXTURES.resolve("sampler/ddpm-cfg.safetensors"); // x_T, z, samples: 10 steps, cfg 4, classes 3,7

    static String[] args(String... more) {
        return HarnessCommandsTest.concat(HarnessCommandsTest.concat(new String[] {"sample"}, ForwardCommandTest.MODEL),
                HarnessCommandsTest.concat(new String[] {"--weights", FIXTURES.resolve("adaln-zero-weights.safetensors").toString()},
                        more));
    }

    static Stream<Device> devices() {
        return TestDevices.all();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void sampleFromANoiseFileGivesTheReferenceSamples(Device device, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("samples.safetensors");
        HarnessCommandsTest.Run r = HarnessCommandsTest.run(args("--classes", "3,7", "--steps", "10", "--sampler", "ddpm",
                "--cfg-scale", "4", "--noise", DDPM.toString(), "--output", out.toString(), "--device", device.id(), "--json"));
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("device").asText()).isEqualTo(device.id());
        assertThat(json.get("steps").asInt()).isEqualTo(10);
        assertThat(json.get("seconds").asDouble()).isPositive();
        assertThat(json.get("seconds_per_step").asDouble()).isPositive();
        assertThat(json.get("images_per_s").asDouble()).isPositive();
        assertThat(json.get("output").asText()).isEqualTo(out.toString());
        assertThat(r.err()).contains("step 10/10").contains("steps/s").contains("ETA");
        try (SafeTensors got = SafeTensors.open(out); SafeTensors ref = SafeTensors.open(DDPM)) {
            assertThat(got.shape("samples")).containsExactly(2, 4, 8, 8);
            Tolerance.assertClose("sample on " + device.id(), got.toFloats("samples"), ref.toFloats("samples"), Tolerance.FP32);
        }
    }

    @Test
    void seededSamplingIsRepeatable(@TempDir Path dir) {
        Path a = dir.resolve("a.safetensors"), b = dir.resolve("b.safetensors");
        for (Path out : new Path[] {a, b}) {
            HarnessCommandsTest.Run r = HarnessCommandsTest.run(args("--classes", "1", "--steps", "3", "--sampler", "ddim",
                    "--eta", "0.5", "--seed", "7", "--output", out.toString(), "--device", "java"));
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("3 ddim steps");
        }
        try (SafeTensors x = SafeTensors.open(a); SafeTensors y = SafeTensors.open(b)) {
            assertThat(x.toFloats("samples")).containsExactly(y.toFloats("samples"));
        }
    }

    @Test
    void badInputGivesOneLineExit2AndNoOutput(@TempDir Path dir) {
        Path out = dir.resolve("samples.safetensors");
        Path noZ = dir.resolve("no-z.safetensors");
        new SafeTensorsWriter().put("x_T", new float[2 * 4 * 8 * 8], 2, 4, 8, 8).write(noZ);
        Path noXT = dir.resolve("no-xt.safetensors");
        new SafeTensorsWriter().put("z", new float[10 * 2 * 4 * 8 * 8], 10, 2, 4, 8, 8).write(noXT);
        Path wrongZ = dir.resolve("wrong-z.safetensors");
        new SafeTensorsWriter().put("x_T", new float[2 * 4 * 8 * 8], 2, 4, 8, 8)
                .put("z", new float[9 * 2 * 4 * 8 * 8], 9, 2, 4, 8, 8).write(wrongZ);
        String o = out.toString();
        String[][] bad = {
            {"--classes", "3,7", "--steps", "0", "--output", o},
            {"--classes", "3,7", "--steps", "1001", "--output", o},
            {"--classes", "3,7", "--steps", "5", "--sampler", "euler", "--output", o},
            {"--classes", "3,10", "--steps", "5", "--output", o},
            {"--classes", "-1", "--steps", "5", "--output", o},
            {"--classes", "3,x", "--steps", "5", "--output", o},
            {"--classes", "3", "--steps", "5", "--cfg-scale", "-1", "--output", o},
            {"--classes", "3", "--steps", "5", "--cfg-scale", "NaN", "--output", o},
            {"--classes", "3", "--steps", "5", "--sampler", "ddim", "--eta", "NaN", "--output", o},
            {"--classes", "3", "--steps", "5", "--sampler", "ddim", "--eta", "-0.1", "--output", o},
            {"--classes", "3", "--steps", "5", "--guided-channels", "9", "--output", o},
            {"--classes", "3", "--steps", "5", "--sampler", "ddpm", "--eta", "0.5", "--output", o},
            {"--classes", "3,7", "--steps", "10", "--noise", noZ.toString(), "--output", o},
            {"--classes", "3,7", "--steps", "10", "--noise", noXT.toString(), "--output", o},
            {"--classes", "3,7", "--steps", "10", "--noise", wrongZ.toString(), "--output", o},
            {"--classes", "3", "--steps", "10", "--noise", DDPM.toString(), "--output", o}, // x_T holds 2 images
            {"--classes", "3", "--steps", "10", "--noise", dir.resolve("missing.safetensors").toString(), "--output", o},
            {"--classes", "3", "--steps", "10", "--noise", DDPM.toString(), "--seed", "1", "--output", o},
        };
        for (String[] a : bad) {
            HarnessCommandsTest.Run r = HarnessCommandsTest.run(args(HarnessCommandsTest.concat(a, new String[] {"--device", "java"})));
            assertThat(r.exit()).as(String.join(" ", a) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
            assertThat(Files.exists(out)).as("nothing written").isFalse();
        }
        assertThat(run(bad[0])).contains("--steps must be in 1..1000, given 0");
        assertThat(run(bad[2])).contains("unknown sampler 'euler'");
        assertThat(run(bad[3])).contains("class 10 is outside 0..9");
        assertThat(run(bad[12])).contains("no tensor z [10, 2, 4, 8, 8]");
        assertThat(run(bad[14])).contains("expected shape [10, 2, 4, 8, 8]").contains("[9, 2, 4, 8, 8]");
    }

    private static String run(String[] a) {
        return HarnessCommandsTest.run(args(HarnessCommandsTest.concat(a, new String[] {"--device", "java"}))).err();
    }
}
