package ditvm.opencl;

import ditvm.device.ProgramCache;
import static org.assertj.core.api.Assertions.assertThat;

import ditvm.device.Device;
import ditvm.testing.TestDevices;
import ditvm.testing.Tolerance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The on-disk program cache with the driver's own binaries: a new device instance (empty
 * in-memory cache) loads what an earlier one saved and computes the same bits; an entry that
 * is corrupt, truncated, for another key or refused by the driver is rebuilt and overwritten;
 * with the cache off nothing is written. The graph has two programs (tiled GEMM, AXPY).
 */
class KernelDiskCacheTest {
    static final int PROGRAMS = 2;

    static Stream<Device> openCL() {
        return TestDevices.openCL();
    }

    enum Damage { FLIP_BINARY_BYTE, TRUNCATE, OTHER_KEY, GARBAGE_WITH_VALID_CHECKSUM }

    static Stream<Arguments> damages() {
        return TestDevices.openCL().flatMap(d -> Stream.of(Damage.values()).map(x -> Arguments.of(d, x)));
    }

    private static List<Path> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("openCL")
    void aNewInstanceLoadsFromDiskAndComputesTheSame(Device device, @TempDir Path dir) throws IOException {
        OpenCLDevice cl = (OpenCLDevice) device;
        try (AotGraph g = new AotGraph()) {
            OpenCLDevice first = cl.withDiskCache(dir);
            float[] built = g.run(first);
            assertThat(first.programStats()).isEqualTo(new OpenCLDevice.ProgramStats(PROGRAMS, 0, PROGRAMS, 0, 0));
            assertThat(entries(dir)).hasSize(PROGRAMS).allMatch(p -> p.toString().endsWith(".bin"));

            OpenCLDevice second = cl.withDiskCache(dir);
            float[] loaded = g.run(second);
            assertThat(second.programStats()).as("no source build: both programs came from disk")
                    .isEqualTo(new OpenCLDevice.ProgramStats(0, PROGRAMS, 0, 0, 0));
            assertThat(loaded).as("same binary, same inputs: bitwise equal").isEqualTo(built);
            Tolerance.assertClose("GEMM+AXPY from disk cache on " + device.id(), loaded, g.reference(), Tolerance.FP32);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("damages")
    void aDamagedEntryIsRebuiltAndOverwritten(Device device, Damage damage, @TempDir Path dir) throws IOException {
        OpenCLDevice cl = (OpenCLDevice) device;
        try (AotGraph g = new AotGraph()) {
            float[] expected = g.run(cl.withDiskCache(dir));
            ProgramCache cache = new ProgramCache(dir);
            String axpyText = OpenCLDevice.programText(ditvm.kernels.Kernels.AXPY);
            String key = ProgramCache.key(device.info().name(), cl.driverVersion(),
                    ditvm.kernel.KernelSources.sha256(axpyText), OpenCLDevice.buildOptions(ditvm.kernels.Kernels.AXPY));
            Path entry = cache.existing(key).orElseThrow();
            byte[] bytes = Files.readAllBytes(entry);
            byte[] damaged = switch (damage) {
                case FLIP_BINARY_BYTE -> {
                    byte[] c = bytes.clone();
                    c[c.length - 100] ^= 0x5A;
                    yield c;
                }
                case TRUNCATE -> java.util.Arrays.copyOf(bytes, bytes.length / 2);
                case OTHER_KEY -> ProgramCache.entry(key.replace("options=", "options=-DOTHER "),
                        ((ProgramCache.Lookup.Hit) ProgramCache.parse(bytes, key)).binary());
                case GARBAGE_WITH_VALID_CHECKSUM -> ProgramCache.entry(key, "not a program binary".getBytes());
            };
            Files.write(entry, damaged);
            assertThat(cache.read(key)).isInstanceOf(damage == Damage.GARBAGE_WITH_VALID_CHECKSUM
                    ? ProgramCache.Lookup.Hit.class : ProgramCache.Lookup.Rejected.class);

            OpenCLDevice second = cl.withDiskCache(dir);
            assertThat(g.run(second)).isEqualTo(expected);
            assertThat(second.programStats()).as("AXPY rejected, rebuilt and rewritten; GEMM loaded")
                    .isEqualTo(new OpenCLDevice.ProgramStats(1, 1, 1, 1, 0));
            assertThat(cache.read(key)).as("the entry was overwritten with a good one")
                    .isInstanceOf(ProgramCache.Lookup.Hit.class);

            OpenCLDevice third = cl.withDiskCache(dir);
            assertThat(g.run(third)).isEqualTo(expected);
            assertThat(third.programStats()).isEqualTo(new OpenCLDevice.ProgramStats(0, PROGRAMS, 0, 0, 0));
        }
    }

    @ParameterizedTest
    @MethodSource("openCL")
    void cacheOffWritesNothing(Device device, @TempDir Path dir) throws IOException {
        OpenCLDevice cl = (OpenCLDevice) device;
        Path defaultDir = OpenCLDevice.defaultCacheDir();
        List<Path> before = entries(defaultDir);
        try (AotGraph g = new AotGraph()) {
            OpenCLDevice off = cl.withDiskCache(dir).withoutDiskCache();
            assertThat(off.diskCacheDir()).isEmpty();
            float[] y = g.run(off);
            Tolerance.assertClose("GEMM+AXPY without disk cache on " + device.id(), y, g.reference(), Tolerance.FP32);
            assertThat(off.programStats()).isEqualTo(new OpenCLDevice.ProgramStats(PROGRAMS, 0, 0, 0, 0));
        }
        assertThat(entries(dir)).isEmpty();
        assertThat(entries(defaultDir)).isEqualTo(before);
    }

    @Test
    void environmentSwitch() {
        assertThat(List.of("off", "OFF", "0", "false")).allMatch(ProgramCache::disabled);
        assertThat(List.of("on", "", "1")).noneMatch(ProgramCache::disabled);
        assertThat(ProgramCache.disabled(null)).isFalse();
    }
}
