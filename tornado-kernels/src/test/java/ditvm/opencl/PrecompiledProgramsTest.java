package ditvm.opencl;

import ditvm.device.ProgramCache;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ditvm.device.Device;
import ditvm.graph.TaskGraph;
import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Kernel;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.kernels.Kernels;
import ditvm.plan.GridScheduler;
import ditvm.testing.TestDevices;
import ditvm.testing.Tolerance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The FPGA flow with the driver's own binaries: write a precompiled folder for a graph (tiled
 * GEMM + AXPY), run the graph from it with no compiler (zero source builds) and get the JIT
 * path's bits; and each way a folder can fail to serve a graph gives one clear error.
 */
class PrecompiledProgramsTest {

    static Stream<Device> openCL() {
        return TestDevices.openCL();
    }

    @ParameterizedTest
    @MethodSource("openCL")
    void runsFromTheFolderWithoutCompilingAndMatchesJit(Device device, @TempDir Path dir) throws IOException {
        OpenCLDevice cl = ((OpenCLDevice) device).withoutDiskCache();
        try (AotGraph g = new AotGraph()) {
            float[] jit = g.run(cl);
            PrecompiledManifest m = PrecompiledWriter.write(cl.withoutDiskCache(), List.of(g.graph), dir);
            assertThat(m.deviceName()).isEqualTo(device.info().name());
            assertThat(m.entries()).extracting(PrecompiledManifest.Entry::kernel).containsExactly("gemm_tiled", "axpy");
            assertThat(m.entry("gemm_tiled").orElseThrow().localSize()).containsExactly(16, 16);
            assertThat(m.entry("axpy").orElseThrow().localSize()).containsExactly(256);
            assertThat(PrecompiledManifest.read(dir)).isEqualTo(m);
            for (PrecompiledManifest.Entry e : m.entries()) {
                assertThat(ProgramCache.sha256(Files.readAllBytes(dir.resolve(e.binary())))).isEqualTo(e.binarySha256());
                assertThat(ditvm.kernel.KernelSources.sha256(Files.readString(dir.resolve(e.programFile()))))
                        .as("the .cl beside the binary is the program text it was built from").isEqualTo(e.programSha256());
            }

            OpenCLDevice pre = cl.precompiled(dir);
            float[] fromFolder = g.run(pre);
            assertThat(pre.programStats()).as("programs only from the folder, never from source")
                    .isEqualTo(new OpenCLDevice.ProgramStats(0, 0, 0, 0, 2));
            assertThat(fromFolder).as("same binaries as the JIT path: bitwise equal").isEqualTo(jit);
            Tolerance.assertClose("GEMM+AXPY precompiled on " + device.id(), fromFolder, g.reference(), Tolerance.FP32);
        }
    }

    @ParameterizedTest
    @MethodSource("openCL")
    void aKernelMissingFromTheFolderIsAnError(Device device, @TempDir Path dir) throws IOException {
        OpenCLDevice cl = ((OpenCLDevice) device).withoutDiskCache();
        try (AotGraph g = new AotGraph()) {
            var axpyOnly = new TaskGraph("only").task("axpy", Kernels.AXPY, g.out, g.y, 0.5f, AotGraph.M * AotGraph.N).snapshot();
            PrecompiledWriter.write(cl, List.of(axpyOnly), dir);
            OpenCLDevice pre = cl.precompiled(dir);
            assertThatThrownBy(() -> g.run(pre)).isInstanceOf(PrecompiledException.class)
                    .hasMessageContaining("kernel gemm_tiled is not in precompiled folder " + dir)
                    .hasMessageContaining("[axpy]");
            assertThat(pre.programStats().sourceBuilds()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("openCL")
    void aManifestForAnotherDeviceOrDriverIsRefused(Device device, @TempDir Path dir) throws IOException {
        OpenCLDevice cl = ((OpenCLDevice) device).withoutDiskCache();
        try (AotGraph g = new AotGraph()) {
            PrecompiledWriter.write(cl, List.of(g.graph), dir);
            Path manifest = dir.resolve(PrecompiledManifest.FILE);
            String json = Files.readString(manifest);
            Files.writeString(manifest, json.replace("\"device_name\" : \"" + device.info().name() + "\"",
                    "\"device_name\" : \"Stratix 10 emulator\""));
            assertThatThrownBy(() -> cl.precompiled(dir)).isInstanceOf(PrecompiledException.class)
                    .hasMessageContaining("built for device 'Stratix 10 emulator'")
                    .hasMessageContaining("expected this device " + device.id() + " '" + device.info().name() + "'");
            Files.writeString(manifest, json.replace("\"driver_version\" : \"" + cl.driverVersion() + "\"",
                    "\"driver_version\" : \"0.0-other\""));
            assertThatThrownBy(() -> cl.precompiled(dir)).isInstanceOf(PrecompiledException.class)
                    .hasMessageContaining("driver '0.0-other'")
                    .hasMessageContaining("driver '" + cl.driverVersion() + "'");
            Files.delete(manifest);
            assertThatThrownBy(() -> cl.precompiled(dir)).isInstanceOf(PrecompiledException.class)
                    .hasMessageContaining("no manifest.json in precompiled folder " + dir);
        }
    }

    @ParameterizedTest
    @MethodSource("openCL")
    void aBinaryThatFailsItsChecksumIsAnError(Device device, @TempDir Path dir) throws IOException {
        OpenCLDevice cl = ((OpenCLDevice) device).withoutDiskCache();
        try (AotGraph g = new AotGraph()) {
            PrecompiledManifest m = PrecompiledWriter.write(cl, List.of(g.graph), dir);
            Path bin = dir.resolve(m.entry("axpy").orElseThrow().binary());
            byte[] bytes = Files.readAllBytes(bin);
            bytes[bytes.length / 2] ^= 1;
            Files.write(bin, bytes);
            OpenCLDevice pre = cl.precompiled(dir);
            assertThatThrownBy(() -> g.run(pre)).isInstanceOf(PrecompiledException.class)
                    .hasMessageContaining("kernel axpy: binary " + bin + " fails its checksum");
            assertThat(pre.programStats().sourceBuilds()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("openCL")
    void aLaunchWithAnotherLocalSizeIsAnError(Device device, @TempDir Path dir) throws IOException {
        OpenCLDevice cl = ((OpenCLDevice) device).withoutDiskCache();
        try (AotGraph g = new AotGraph()) {
            PrecompiledWriter.write(cl, List.of(g.graph), dir);
            GridScheduler grid = new GridScheduler().set("g", "axpy",
                    Launch.grid(new long[] {AotGraph.M * AotGraph.N}, new long[] {32}));
            assertThatThrownBy(() -> g.run(cl.precompiled(dir), grid)).isInstanceOf(PrecompiledException.class)
                    .hasMessageContaining("kernel axpy launched with local size [32]")
                    .hasMessageContaining("compiled for fixed local size [256]");
        }
    }

    /** AXPY under its own name but with a chosen work-group size. */
    record LocalAxpy(long local) implements Kernel {
        @Override
        public String name() {
            return "axpy";
        }

        @Override
        public String sourceFile() {
            return Kernels.AXPY.sourceFile();
        }

        @Override
        public List<Param> params() {
            return Kernels.AXPY.params();
        }

        @Override
        public Launch launch(Args a) {
            return Launch.grid(new long[] {a.i(3)}, new long[] {local});
        }

        @Override
        public Cost cost(Args a) {
            return Kernels.AXPY.cost(a);
        }

        @Override
        public long parallelism(Args a) {
            return Kernels.AXPY.parallelism(a);
        }

        @Override
        public void reference(Args a, long from, long to) {
            Kernels.AXPY.reference(a, from, to);
        }
    }

    @ParameterizedTest
    @MethodSource("openCL")
    void theWriterRefusesAKernelLaunchedWithTwoLocalSizes(Device device, @TempDir Path dir) {
        OpenCLDevice cl = ((OpenCLDevice) device).withoutDiskCache();
        try (AotGraph g = new AotGraph()) {
            int n = AotGraph.M * AotGraph.N;
            var one = new TaskGraph("one").task("a", new LocalAxpy(64), g.out, g.y, 1f, n).snapshot();
            var two = new TaskGraph("two").task("b", new LocalAxpy(64), g.out, g.y, 1f, n)
                    .task("c", new LocalAxpy(16), g.out, g.y, 1f, n).snapshot();
            assertThatThrownBy(() -> PrecompiledWriter.write(cl, List.of(one, two), dir))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("kernel axpy is launched with local size [64] in one.a but [16] in two.c");
            assertThat(dir).isEmptyDirectory();
            assertThat(cl.programStats().sourceBuilds()).as("nothing compiled").isZero();
        }
    }
}
