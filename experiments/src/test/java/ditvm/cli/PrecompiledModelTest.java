package ditvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ditvm.device.Device;
import ditvm.model.DiTConfig;
import ditvm.model.Variant;
import ditvm.model.graph.DiTForward;
import ditvm.model.weights.DiTWeights;
import ditvm.opencl.OpenCLDevice;
import ditvm.testing.TestDevices;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FPGA flow with PoCL's own binaries: `ditvm compile` writes the programs of every variant,
 * then the model runs from that folder with the JIT never called, giving the JIT path's output.
 */
class PrecompiledModelTest {
    // depth 3 (compile builds depth 1: the folder must serve any depth), hidden 32, 2 heads, patch 2, input 8
    static final DiTConfig TINY = new DiTConfig(3, 32, 2, 2, 8, 4, 10, true, 4);

    static Stream<Device> openCL() {
        return TestDevices.openCL();
    }

    @ParameterizedTest
    @MethodSource("openCL")
    void modelRunsFromPrecompiledProgramsWithTheJitOff(Device device, @TempDir Path dir) {
        HarnessCommandsTest.Run r = HarnessCommandsTest.run("compile", "--model", "custom", "--depth", "3", "--hidden", "32",
                "--heads", "2", "--patch", "2", "--input-size", "8", "--num-classes", "10", "--device", device.id(),
                "--out", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        OpenCLDevice precompiled = ((OpenCLDevice) device).precompiled(dir);
        SplittableRandom rnd = new SplittableRandom(5);
        float[] x = new float[2 * 4 * 8 * 8];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        float[] t = {3f, 900f};
        int[] y = {1, 10};
        for (Variant v : Variant.values()) {
            try (DiTWeights w = DiTWeights.random(TINY, v, 9, 0.2f);
                 DiTForward jit = DiTForward.build(w, 2, ((OpenCLDevice) device).withoutDiskCache());
                 DiTForward aot = DiTForward.build(w, 2, precompiled)) {
                assertThat(aot.forward(x, t, y)).as(v + ": same output as the JIT path").isEqualTo(jit.forward(x, t, y));
            }
        }
        assertThat(precompiled.programStats().sourceBuilds()).as("programs built from source").isZero();
        assertThat(precompiled.programStats().precompiledLoads()).isPositive();
    }
}
