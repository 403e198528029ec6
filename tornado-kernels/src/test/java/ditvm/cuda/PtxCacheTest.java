package ditvm.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ditvm.device.ProgramCache;
import ditvm.kernel.KernelSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The on-disk PTX cache with the nvcc on this machine (no GPU needed): a second process's cache
 * reads the PTX instead of compiling, a damaged entry is compiled again, and off writes nothing.
 */
class PtxCacheTest {
    static final ditvm.kernels.Gemm GEMM = ditvm.kernels.Kernels.gemm(ditvm.kernels.Gemm.Impl.TILED, ditvm.kernels.Gemm.Epilogue.GELU);
    static final String FILE = GEMM.sourceFile();
    static final String OPTIONS = GEMM.buildOptions(KernelSources.Target.CUDA);

    static PtxCompiler nvcc() {
        Optional<PtxCompiler.Nvcc> n = PtxCompiler.Nvcc.find();
        assumeTrue(n.isPresent(), "no nvcc on this machine: the PTX cache test needs a CUDA compiler");
        return n.get();
    }

    static PtxCache cache(PtxCompiler c, Path dir) {
        return new PtxCache("cuda:0", "test GPU", "CUDA driver test", Optional.of(c), dir == null ? null : new ProgramCache(dir));
    }

    static String program() {
        return GEMM.programText(KernelSources.Target.CUDA);
    }

    @Test
    void aSecondProcessReadsThePtxFromDisk(@TempDir Path dir) {
        PtxCompiler c = nvcc();
        PtxCache first = cache(c, dir);
        String ptx = first.ptx("gemm_tiled_gelu", FILE, program(), OPTIONS, 80);
        assertThat(ptx).contains(".entry " + GEMM.entryPoint());
        assertThat(first.stats()).isEqualTo(new PtxCache.Stats(1, 0, 0));
        PtxCache second = cache(c, dir);
        assertThat(second.ptx("gemm_tiled_gelu", FILE, program(), OPTIONS, 80)).isEqualTo(ptx);
        assertThat(second.stats()).isEqualTo(new PtxCache.Stats(0, 1, 0));
        // another architecture is another entry
        second.ptx("gemm_tiled_gelu", FILE, program(), OPTIONS, 90);
        assertThat(second.stats()).isEqualTo(new PtxCache.Stats(1, 1, 0));
    }

    @Test
    void aDamagedEntryIsCompiledAgainAndOverwritten(@TempDir Path dir) throws Exception {
        PtxCompiler c = nvcc();
        String ptx = cache(c, dir).ptx("gemm_tiled_gelu", FILE, program(), OPTIONS, 80);
        Path entry;
        try (Stream<Path> s = Files.list(dir)) {
            entry = s.filter(p -> p.toString().endsWith(".bin")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length - 10] ^= 0x5a; // inside the PTX: the checksum no longer matches
        Files.write(entry, bytes);
        PtxCache again = cache(c, dir);
        assertThat(again.ptx("gemm_tiled_gelu", FILE, program(), OPTIONS, 80)).isEqualTo(ptx);
        assertThat(again.stats()).isEqualTo(new PtxCache.Stats(1, 0, 1));
        PtxCache third = cache(c, dir);
        third.ptx("gemm_tiled_gelu", FILE, program(), OPTIONS, 80);
        assertThat(third.stats()).as("the rewritten entry loads").isEqualTo(new PtxCache.Stats(0, 1, 0));
    }

    @Test
    void offWritesNothing(@TempDir Path dir) throws Exception {
        PtxCache off = cache(nvcc(), null);
        off.ptx("gemm_tiled_gelu", FILE, program(), OPTIONS, 80);
        off.ptx("gemm_tiled_gelu", FILE, program(), OPTIONS, 80);
        assertThat(off.stats()).as("compiled once, then from memory").isEqualTo(new PtxCache.Stats(1, 0, 0));
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s).isEmpty();
        }
    }
}
