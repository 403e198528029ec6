package ditvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ditvm.device.Device;
import ditvm.memory.FloatArray;
import ditvm.model.weights.SafeTensors;
import ditvm.model.weights.SafeTensorsWriter;
import ditvm.testing.TestDevices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** `ditvm selfcheck` passes on every device here, and fails (exit 1) when a reference is wrong. */
class SelfCheckCommandTest {
    static final Path FIXTURES = Path.of("..", "model", "src", "test", "resources", "fixtures");

    static Stream<Device> devices() {
        return TestDevices.all();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void everyCheckPasses(Device device) {
        HarnessCommandsTest.Run r = HarnessCommandsTest.run("selfcheck", "--device", device.id(), "--fixtures", FIXTURES.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("0 failed").doesNotContain("FAIL");
    }

    @Test
    void aWrongReferenceFails(@TempDir Path dir) throws IOException {
        try (Stream<Path> files = Files.list(FIXTURES)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        // Scale adaln's expected output by 1.01: a 1% error, a hundred times the fp32 bound.
        Path io = dir.resolve("adaln-io.safetensors");
        SafeTensorsWriter w = new SafeTensorsWriter();
        java.util.List<FloatArray> arrays = new java.util.ArrayList<>();
        try (SafeTensors in = SafeTensors.open(FIXTURES.resolve("adaln-io.safetensors"))) {
            for (String name : in.names()) {
                if (name.equals("y")) {
                    w.putLongs(name, in.longs(name), in.shape(name));
                } else {
                    FloatArray a = in.floatsCopy(name);
                    arrays.add(a);
                    if (name.equals("out")) {
                        for (long i = 0; i < a.length(); i++) {
                            a.set(i, a.get(i) * 1.01f);
                        }
                    }
                    w.put(name, a, in.shape(name));
                }
            }
            w.write(io);
        } finally {
            arrays.forEach(FloatArray::close);
        }
        HarnessCommandsTest.Run r = HarnessCommandsTest.run("selfcheck", "--device", "java", "--fixtures", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL model adaln vs PyTorch");
        assertThat(r.err()).contains("checks failed on java");
    }
}
