package ditvm.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * NVRTC (the CUDA runtime compiler) through java.lang.foreign, loaded from whichever
 * libnvrtc is found at run time: the toolkit's, or the one pip installs with PyTorch
 * (site-packages/nvidia/.../lib), which is all a driver-only GPU host may have.
 */
final class Nvrtc implements PtxCompiler {
    private static final int NVRTC_SUCCESS = 0;
    private static final Linker LINKER = Linker.nativeLinker();

    private final Path library; // null: found by soname on the loader path
    private final String soname;
    private final MethodHandle version;
    private final MethodHandle errorString;
    private final MethodHandle createProgram;
    private final MethodHandle compileProgram;
    private final MethodHandle logSize;
    private final MethodHandle log;
    private final MethodHandle ptxSize;
    private final MethodHandle ptx;
    private final MethodHandle destroyProgram;
    private final MethodHandle numSupportedArchs; // null before NVRTC 11.2
    private final MethodHandle supportedArchs;

    private Nvrtc(SymbolLookup lib, Path library, String soname) {
        this.library = library;
        this.soname = soname;
        version = fn(lib, "nvrtcVersion", JAVA_INT, ADDRESS, ADDRESS);
        errorString = fn(lib, "nvrtcGetErrorString", ADDRESS, JAVA_INT);
        createProgram = fn(lib, "nvrtcCreateProgram", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        compileProgram = fn(lib, "nvrtcCompileProgram", JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
        logSize = fn(lib, "nvrtcGetProgramLogSize", JAVA_INT, ADDRESS, ADDRESS);
        log = fn(lib, "nvrtcGetProgramLog", JAVA_INT, ADDRESS, ADDRESS);
        ptxSize = fn(lib, "nvrtcGetPTXSize", JAVA_INT, ADDRESS, ADDRESS);
        ptx = fn(lib, "nvrtcGetPTX", JAVA_INT, ADDRESS, ADDRESS);
        destroyProgram = fn(lib, "nvrtcDestroyProgram", JAVA_INT, ADDRESS);
        numSupportedArchs = fn(lib, "nvrtcGetNumSupportedArchs", JAVA_INT, ADDRESS);
        supportedArchs = fn(lib, "nvrtcGetSupportedArchs", JAVA_INT, ADDRESS);
    }

    private static MethodHandle fn(SymbolLookup lib, String name, MemoryLayout result, MemoryLayout... args) {
        return lib.find(name).map(s -> LINKER.downcallHandle(s, FunctionDescriptor.of(result, args))).orElse(null);
    }

    private static final String[] SONAMES = {"libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11", "libnvrtc.so"};

    /** The first NVRTC that loads and exports the calls ditvm needs. */
    static Optional<PtxCompiler> load() {
        for (Path p : candidates()) {
            Optional<Nvrtc> n = tryLoad(p, p.getFileName().toString());
            if (n.isPresent()) {
                return Optional.of(n.get());
            }
        }
        return Optional.empty();
    }

    private static List<Path> candidates() {
        List<Path> out = new ArrayList<>();
        String explicit = System.getenv("DITVM_NVRTC");
        if (explicit != null && !explicit.isBlank()) {
            out.add(Path.of(explicit));
        }
        for (String so : SONAMES) {
            out.add(Path.of(so)); // a bare name: the dynamic loader's search path
        }
        List<Path> dirs = new ArrayList<>();
        String home = System.getenv("CUDA_HOME");
        if (home != null && !home.isBlank()) {
            dirs.add(Path.of(home, "lib64"));
        }
        dirs.add(Path.of("/usr/local/cuda/lib64"));
        dirs.add(Path.of("/usr/local/cuda/targets/x86_64-linux/lib"));
        dirs.addAll(pipNvidiaLibDirs());
        for (Path d : dirs) {
            for (String so : SONAMES) {
                out.add(d.resolve(so));
            }
        }
        return out;
    }

    /** site-packages/nvidia/{cuda_nvrtc,cu13,...}/lib of the system and user Pythons (PyTorch's wheels). */
    private static List<Path> pipNvidiaLibDirs() {
        List<Path> roots = new ArrayList<>();
        for (String base : new String[] {"/usr/lib", "/usr/local/lib", System.getProperty("user.home") + "/.local/lib"}) {
            try (Stream<Path> pys = Files.list(Path.of(base))) {
                pys.filter(p -> p.getFileName().toString().startsWith("python3")).forEach(py -> {
                    roots.add(py.resolve("site-packages/nvidia"));
                    roots.add(py.resolve("dist-packages/nvidia"));
                });
            } catch (IOException e) {
                // no such folder
            }
        }
        String venv = System.getenv("VIRTUAL_ENV");
        if (venv != null && !venv.isBlank()) {
            try (Stream<Path> pys = Files.list(Path.of(venv, "lib"))) {
                pys.forEach(py -> roots.add(py.resolve("site-packages/nvidia")));
            } catch (IOException e) {
                // not a venv layout
            }
        }
        List<Path> dirs = new ArrayList<>();
        for (Path r : roots) {
            try (Stream<Path> pkgs = Files.list(r)) {
                pkgs.map(p -> p.resolve("lib")).filter(Files::isDirectory).forEach(dirs::add);
            } catch (IOException e) {
                // no nvidia wheels there
            }
        }
        return dirs;
    }

    private static Optional<Nvrtc> tryLoad(Path p, String soname) {
        try {
            SymbolLookup lib = p.getParent() == null
                    ? SymbolLookup.libraryLookup(p.toString(), Arena.global())
                    : Files.exists(p) ? SymbolLookup.libraryLookup(p, Arena.global()) : null;
            if (lib == null) {
                return Optional.empty();
            }
            Nvrtc n = new Nvrtc(lib, p.getParent() == null ? null : p, soname);
            return n.complete() ? Optional.of(n) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private boolean complete() {
        return version != null && errorString != null && createProgram != null && compileProgram != null
                && logSize != null && log != null && ptxSize != null && ptx != null && destroyProgram != null;
    }

    @Override
    public String describe() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment major = a.allocate(JAVA_INT), minor = a.allocate(JAVA_INT);
            int st = (int) version.invokeExact(major, minor);
            String v = st == NVRTC_SUCCESS ? major.get(JAVA_INT, 0) + "." + minor.get(JAVA_INT, 0) : "?";
            return "NVRTC " + v + " (" + (library == null ? soname : library.toString()) + ")";
        } catch (Throwable t) {
            return "NVRTC (" + soname + ")";
        }
    }

    /** The newest virtual architecture NVRTC supports that is not newer than the device. */
    private int pickArch(int arch) throws Throwable {
        if (numSupportedArchs == null || supportedArchs == null) {
            return arch;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(JAVA_INT);
            if ((int) numSupportedArchs.invokeExact(n) != NVRTC_SUCCESS || n.get(JAVA_INT, 0) <= 0) {
                return arch;
            }
            MemorySegment archs = a.allocate(JAVA_INT, n.get(JAVA_INT, 0));
            if ((int) supportedArchs.invokeExact(archs) != NVRTC_SUCCESS) {
                return arch;
            }
            int best = -1;
            for (int i = 0; i < n.get(JAVA_INT, 0); i++) {
                int s = archs.getAtIndex(JAVA_INT, i);
                if (s <= arch && s > best) {
                    best = s;
                }
            }
            return best > 0 ? best : arch;
        }
    }

    @Override
    public Result compile(String fileName, String source, int arch, List<String> options) throws Failure {
        try (Arena a = Arena.ofConfined()) {
            String virtual = "compute_" + pickArch(arch);
            List<String> all = new ArrayList<>(List.of("--gpu-architecture=" + virtual, "-default-device"));
            all.addAll(options);
            MemorySegment prog = a.allocate(ADDRESS);
            check((int) createProgram.invokeExact(prog, a.allocateFrom(source), a.allocateFrom(fileName), 0,
                    MemorySegment.NULL, MemorySegment.NULL), "nvrtcCreateProgram");
            MemorySegment program = prog.get(ADDRESS, 0);
            try {
                MemorySegment opts = a.allocate(ADDRESS, all.size());
                for (int i = 0; i < all.size(); i++) {
                    opts.setAtIndex(ADDRESS, i, a.allocateFrom(all.get(i)));
                }
                int status = (int) compileProgram.invokeExact(program, all.size(), opts);
                String programLog = programLog(a, program);
                if (status != NVRTC_SUCCESS) {
                    throw new Failure("nvrtcCompileProgram (" + String.join(" ", all) + ") returned "
                            + error(status) + ":\n" + programLog);
                }
                MemorySegment size = a.allocate(JAVA_LONG);
                check((int) ptxSize.invokeExact(program, size), "nvrtcGetPTXSize");
                MemorySegment text = a.allocate(size.get(JAVA_LONG, 0) + 1);
                check((int) ptx.invokeExact(program, text), "nvrtcGetPTX");
                return new Result(text.getString(0), programLog, virtual);
            } finally {
                int ignored = (int) destroyProgram.invokeExact(prog);
            }
        } catch (Failure f) {
            throw f;
        } catch (Throwable t) {
            throw new Failure("NVRTC call failed: " + t);
        }
    }

    private String programLog(Arena a, MemorySegment program) throws Throwable {
        MemorySegment size = a.allocate(JAVA_LONG);
        if ((int) logSize.invokeExact(program, size) != NVRTC_SUCCESS || size.get(JAVA_LONG, 0) <= 1) {
            return "";
        }
        MemorySegment text = a.allocate(size.get(JAVA_LONG, 0) + 1);
        if ((int) log.invokeExact(program, text) != NVRTC_SUCCESS) {
            return "";
        }
        return text.getString(0);
    }

    private void check(int status, String call) throws Throwable {
        if (status != NVRTC_SUCCESS) {
            throw new Failure(call + " returned " + error(status));
        }
    }

    private String error(int status) throws Throwable {
        MemorySegment s = (MemorySegment) errorString.invokeExact(status);
        return (s.equals(MemorySegment.NULL) ? "nvrtcResult" : s.reinterpret(256).getString(0)) + " (" + status + ")";
    }
}
