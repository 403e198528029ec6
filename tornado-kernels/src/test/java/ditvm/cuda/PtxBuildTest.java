package ditvm.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ditvm.kernel.Kernel;
import ditvm.kernel.KernelSources;
import ditvm.kernels.Gemm;
import ditvm.kernels.Kernels;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without a GPU: every kernel source meant for CUDA, as the CUDA backend builds it (CUDA
 * prelude + source, {@link KernelSources#program}), with each descriptor's build options (all
 * four GEMM epilogues, ...), compiles with {@code nvcc -ptx} for sm_80 and sm_90, and the PTX
 * passes {@code ptxas -v} for the same target; each PTX declares the descriptors' entry points.
 * Prints registers, stack and spills per (file, options, arch). Skipped, with the reason, where
 * nvcc or ptxas is absent.
 */
class PtxBuildTest {
    static final List<String> ARCHS = List.of("sm_80", "sm_90");

    @TempDir
    Path tmp;

    /** One nvcc run: a program text (a source file with the CUDA prelude, or a Java kernel's generated C). */
    record Unit(String file, String options, Set<String> entries, String text) {
    }

    record Row(String file, String options, String arch, String entry, int registers, int stack, int spillStores,
               int spillLoads, int smem, double seconds) {
    }

    static Optional<Path> tool(String name) {
        List<Path> candidates = new ArrayList<>();
        String home = System.getenv("CUDA_HOME");
        if (home != null && !home.isBlank()) {
            candidates.add(Path.of(home, "bin", name));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, name));
            }
        }
        candidates.add(Path.of("/usr/local/cuda/bin", name));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /** Every kernel descriptor of {@link Kernels}: its constants, every GEMM and every bf16 GEMM. */
    static List<Kernel> descriptors() throws IllegalAccessException {
        List<Kernel> all = new ArrayList<>();
        for (Field f : Kernels.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && Kernel.class.isAssignableFrom(f.getType())) {
                all.add((Kernel) f.get(null));
            }
        }
        for (Gemm.Epilogue e : Gemm.Epilogue.values()) {
            for (Gemm.Impl impl : Gemm.Impl.values()) {
                all.add(Kernels.gemm(impl, e));
            }
            all.add(Kernels.gemmBf16(e));
        }
        return all;
    }

    static List<String> kernelFiles() throws IOException, URISyntaxException {
        // the main kernels folder (test resources have a kernels/ folder too, with broken.cl)
        URL url = KernelSources.class.getResource("/kernels/prelude-cuda.h");
        assertThat(url).as("the CUDA prelude on the class path").isNotNull();
        assertThat(url.getProtocol()).as("kernels folder is a directory (tests run from target/classes)").isEqualTo("file");
        try (Stream<Path> s = Files.list(Path.of(url.toURI()).getParent())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cl") || n.endsWith(".cu"))
                    .sorted().toList();
        }
    }

    @Test
    void everyCudaKernelCompilesToPtxAndPassesPtxas() throws Exception {
        Optional<Path> nvcc = tool("nvcc");
        Optional<Path> ptxas = tool("ptxas");
        String why = "CUDA PTX checks skipped: " + (nvcc.isEmpty() ? "nvcc" : "ptxas")
                + " not found in $CUDA_HOME/bin, PATH or /usr/local/cuda/bin";
        if (nvcc.isEmpty() || ptxas.isEmpty()) {
            System.out.println(why);
        }
        Assumptions.assumeTrue(nvcc.isPresent() && ptxas.isPresent(), why);

        List<String> files = kernelFiles();
        Map<String, Unit> units = new LinkedHashMap<>(); // (file, options) -> entry points
        for (Kernel k : descriptors()) {
            String options = k.buildOptions(KernelSources.Target.CUDA);
            String text = k.programText(KernelSources.Target.CUDA); // a Java kernel's differs per fixed constant
            units.computeIfAbsent(k.sourceFile() + "|" + options + "|" + text, key -> new Unit(k.sourceFile(), options,
                    new TreeSet<>(), text)).entries().add(k.entryPoint());
        }
        for (String f : files) { // a source no descriptor uses is still built, with no options
            if (units.values().stream().noneMatch(u -> u.file().equals(f))) {
                units.put(f + "|", new Unit(f, "", new TreeSet<>(), KernelSources.program(KernelSources.Target.CUDA, f)));
            }
        }

        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
        try {
            List<Future<List<Row>>> jobs = new ArrayList<>();
            int n = 0;
            for (Unit u : units.values()) {
                for (String arch : ARCHS) {
                    Path dir = Files.createDirectories(tmp.resolve("u" + n++));
                    jobs.add(pool.submit(() -> build(nvcc.get(), ptxas.get(), dir, u, arch)));
                }
            }
            List<Row> rows = new ArrayList<>();
            for (Future<List<Row>> j : jobs) {
                rows.addAll(j.get());
            }
            print(rows);
        } finally {
            pool.shutdownNow();
        }
    }

    private static final Pattern ENTRY = Pattern.compile("Compiling entry function '([^']+)' for '(sm_\\d+)'");
    private static final Pattern FRAME = Pattern.compile("(\\d+) bytes stack frame, (\\d+) bytes spill stores, (\\d+) bytes spill loads");
    private static final Pattern USED = Pattern.compile("Used (\\d+) registers");
    private static final Pattern SMEM = Pattern.compile("(\\d+) bytes smem");

    static List<Row> build(Path nvcc, Path ptxas, Path dir, Unit u, String arch) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        String stem = u.file().replaceAll("\\.(cl|cu)$", "").replaceAll("[^A-Za-z0-9_]", "_");
        Path cu = dir.resolve(stem + ".cu");
        Path ptx = dir.resolve(stem + ".ptx");
        Files.writeString(cu, u.text());
        List<String> cmd = new ArrayList<>(List.of(nvcc.toString(), "-ptx", "-arch=" + arch));
        if (!u.options().isBlank()) {
            cmd.addAll(List.of(u.options().trim().split("\\s+")));
        }
        cmd.addAll(List.of("-o", ptx.toString(), cu.toString()));
        run(cmd, u.file() + " " + u.options() + " " + arch);
        String ptxText = Files.readString(ptx);
        for (String entry : u.entries()) {
            assertThat(ptxText).as(u.file() + " " + arch + " declares entry " + entry).contains(".entry " + entry + "(");
        }
        String log = run(List.of(ptxas.toString(), "-arch=" + arch, "-v", ptx.toString(), "-o", dir.resolve(stem + ".cubin").toString()),
                "ptxas " + u.file() + " " + u.options() + " " + arch);
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<Row> rows = new ArrayList<>();
        String entry = null;
        int stack = 0, stores = 0, loads = 0;
        for (String line : log.split("\n")) {
            Matcher m;
            if ((m = ENTRY.matcher(line)).find()) {
                entry = m.group(1);
                assertThat(m.group(2)).isEqualTo(arch);
            } else if ((m = FRAME.matcher(line)).find()) {
                stack = Integer.parseInt(m.group(1));
                stores = Integer.parseInt(m.group(2));
                loads = Integer.parseInt(m.group(3));
            } else if ((m = USED.matcher(line)).find() && entry != null) {
                Matcher s = SMEM.matcher(line);
                rows.add(new Row(u.file(), u.options(), arch, entry, Integer.parseInt(m.group(1)), stack, stores, loads,
                        s.find() ? Integer.parseInt(s.group(1)) : 0, seconds));
                entry = null;
            }
        }
        assertThat(rows).as("ptxas -v reported the entry functions of " + u.file() + " " + arch).isNotEmpty();
        return rows;
    }

    static String run(List<String> cmd, String what) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        assertTrue(rc == 0, () -> what + ": " + String.join(" ", cmd) + " exited with " + rc + ":\n" + out);
        return out;
    }

    static void print(List<Row> rows) {
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing(Row::file).thenComparing(Row::options).thenComparing(Row::arch));
        StringBuilder sb = new StringBuilder("\nPTX build (nvcc -ptx + ptxas -v), registers / stack / spills per kernel:\n");
        sb.append(String.format(Locale.ROOT, "%-24s %-12s %-6s %-20s %5s %6s %7s %7s %6s %6s%n",
                "file", "options", "arch", "entry", "regs", "stack", "spillSt", "spillLd", "smem", "s"));
        for (Row r : sorted) {
            sb.append(String.format(Locale.ROOT, "%-24s %-12s %-6s %-20s %5d %6d %7d %7d %6d %6.1f%n", r.file(), r.options(),
                    r.arch(), r.entry(), r.registers(), r.stack(), r.spillStores(), r.spillLoads(), r.smem(), r.seconds()));
        }
        long spilling = rows.stream().filter(r -> r.spillStores() + r.spillLoads() > 0).count();
        sb.append(rows.size()).append(" kernels built, ").append(spilling).append(" with register spills\n");
        System.out.print(sb);
    }
}
