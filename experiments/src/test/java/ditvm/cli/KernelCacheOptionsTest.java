package ditvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ditvm.device.Device;
import ditvm.opencl.OpenCLDevice;
import ditvm.testing.TestDevices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code --no-kernel-cache} and {@code --precompiled DIR}, and {@code compile} feeding {@code bench --precompiled}. */
class KernelCacheOptionsTest {

    @Command(name = "probe")
    static final class Probe {
        @Mixin
        KernelCacheOptions kernelCache;
    }

    static Stream<Device> openCL() {
        return TestDevices.openCL();
    }

    private static Device deviceFor(String id, String... args) {
        Probe p = new Probe();
        new CommandLine(p).parseArgs(args);
        return p.kernelCache.device(id);
    }

    @ParameterizedTest
    @MethodSource("openCL")
    void optionsPickTheProgramSource(Device device, @TempDir Path dir) {
        assertThat(((OpenCLDevice) deviceFor(device.id())).diskCacheDir()).contains(OpenCLDevice.defaultCacheDir());
        assertThat(((OpenCLDevice) deviceFor(device.id(), "--no-kernel-cache")).diskCacheDir()).isEmpty();
        assertThat(FlopsCommandTest.run("compile", "--device", device.id(), "--out", dir.toString()).exit()).isZero();
        OpenCLDevice pre = (OpenCLDevice) deviceFor(device.id(), "--precompiled", dir.toString());
        assertThat(pre.precompiledDir()).contains(dir);
    }

    @ParameterizedTest
    @MethodSource("openCL")
    void benchRunsFromACompiledFolderAndRefusesAMissingOne(Device device, @TempDir Path dir) {
        Path out = dir.resolve("pre");
        assertThat(FlopsCommandTest.run("compile", "--device", device.id(), "--out", out.toString()).exit()).isZero();
        assertThat(Files.isRegularFile(out.resolve("manifest.json"))).isTrue();
        var ok = FlopsCommandTest.run("bench", "gemm", "--device", device.id(), "--m", "7", "--n", "13", "--k", "5",
                "--warmup", "0", "--iterations", "1", "--precompiled", out.toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        var missing = FlopsCommandTest.run("bench", "gemm", "--device", device.id(), "--m", "7", "--n", "13", "--k", "5",
                "--precompiled", dir.resolve("absent").toString());
        assertThat(missing.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(missing.err()).startsWith("ditvm: no manifest.json in precompiled folder");
        var java = FlopsCommandTest.run("bench", "gemm", "--device", "java", "--m", "7", "--n", "13", "--k", "5",
                "--precompiled", out.toString());
        assertThat(java.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(java.err()).contains("--precompiled needs an OpenCL device");
    }
}
