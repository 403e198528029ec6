package ditvm.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CUDA C++ to PTX: NVRTC when a libnvrtc is found at run time, else {@code nvcc -ptx}. Neither
 * falls back to the other after a failed compile: a failure is the kernel's, reported with the
 * compiler's log.
 */
sealed interface PtxCompiler permits Nvrtc, PtxCompiler.Nvcc {

    /** What compiles, for the device list: "NVRTC 13.0" or "nvcc /usr/local/bin/nvcc". */
    String describe();

    /**
     * PTX for {@code source} targeting compute capability {@code arch} (e.g. 90) or the newest
     * the compiler knows below it; {@code options} are the kernel's (-D defines).
     */
    Result compile(String fileName, String source, int arch, List<String> options) throws Failure;

    /** The PTX, the compiler's log (possibly empty) and the virtual architecture used (e.g. compute_90). */
    record Result(String ptx, String log, String arch) {
    }

    /** A compile that failed: the compiler's full log. */
    final class Failure extends Exception {
        private final String log;

        Failure(String log) {
            super(log);
            this.log = log;
        }

        String log() {
            return log;
        }
    }

    /** NVRTC if a library loads ({@code $DITVM_NVRTC}, the loader path, the CUDA and pip locations), else nvcc, else empty. */
    static Optional<PtxCompiler> find() {
        Optional<PtxCompiler> nvrtc = Nvrtc.load().map(n -> n);
        return nvrtc.isPresent() ? nvrtc : Nvcc.find().map(n -> n);
    }

    /** Why no compiler was found, for error messages. */
    static String missingReason() {
        return "no NVRTC library (tried $DITVM_NVRTC, libnvrtc.so.13/.12/.11/libnvrtc.so on the loader path, "
                + "/usr/local/cuda/lib64, /usr/local/cuda/targets/x86_64-linux/lib and pip's nvidia/*/lib) and no nvcc "
                + "($CUDA_HOME/bin, PATH, /usr/local/cuda/bin)";
    }

    /** {@code nvcc -ptx} in a temporary folder; slower than NVRTC (a process per kernel), same result. */
    record Nvcc(Path executable) implements PtxCompiler {

        static Optional<Nvcc> find() {
            List<Path> candidates = new ArrayList<>();
            String home = System.getenv("CUDA_HOME");
            if (home != null && !home.isBlank()) {
                candidates.add(Path.of(home, "bin", "nvcc"));
            }
            String path = System.getenv("PATH");
            if (path != null) {
                for (String dir : path.split(":")) {
                    if (!dir.isEmpty()) {
                        candidates.add(Path.of(dir, "nvcc"));
                    }
                }
            }
            candidates.add(Path.of("/usr/local/cuda/bin/nvcc"));
            return candidates.stream().filter(Files::isExecutable).findFirst().map(Nvcc::new);
        }

        @Override
        public String describe() {
            return "nvcc " + executable;
        }

        @Override
        public Result compile(String fileName, String source, int arch, List<String> options) throws Failure {
            Path dir = null;
            try {
                dir = Files.createTempDirectory("ditvm-nvcc");
                Path cu = dir.resolve(stem(fileName) + ".cu");
                Path ptx = dir.resolve(stem(fileName) + ".ptx");
                Files.writeString(cu, source);
                String virtual = "compute_" + arch;
                List<String> cmd = new ArrayList<>(List.of(executable.toString(), "-ptx", "-arch=" + virtual));
                cmd.addAll(options);
                cmd.addAll(List.of("-o", ptx.toString(), cu.toString()));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                int rc = p.waitFor();
                if (rc != 0) {
                    throw new Failure(String.join(" ", cmd) + " exited with " + rc + ":\n" + log);
                }
                return new Result(Files.readString(ptx), log, virtual);
            } catch (IOException e) {
                throw new Failure("running " + executable + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Failure("interrupted while running " + executable);
            } finally {
                deleteQuietly(dir);
            }
        }

        private static String stem(String fileName) {
            int dot = fileName.lastIndexOf('.');
            return dot > 0 ? fileName.substring(0, dot) : fileName;
        }

        private static void deleteQuietly(Path dir) {
            if (dir == null) {
                return;
            }
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // a temporary folder left behind is harmless
            }
        }
    }
}
