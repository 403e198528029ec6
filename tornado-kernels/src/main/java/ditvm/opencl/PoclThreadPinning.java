package ditvm.opencl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import ditvm.ffi.NativeLibrary;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Pins PoCL's CPU worker threads to cores ({@code POCL_AFFINITY=1}, which pins worker i to CPU i)
 * before the first OpenCL call loads PoCL, where that is safe: the process may run on every online
 * CPU, numbered 0..N-1 without gaps, and PoCL runs at most N workers. A user's own
 * {@code POCL_AFFINITY}, either value, is left alone; inside a cpuset (Slurm, taskset, containers)
 * nothing is set, since worker i would be pinned to a CPU the process may not use.
 *
 * <p>Why: unpinned, PoCL's workers sleep between commands and (the likely cause, not traced) are woken
 * beside the thread that enqueued, so a kernel that is waited for on its own (a {@code ditvm bench} of one
 * kernel, a short graph) often runs on one core of two. Measured with {@code ditvm bench} on a
 * 2-core AVX-512 EPYC (results/kernels-pocl.md, "Pinned PoCL workers"): GELU over 786,432 floats
 * 15 -> 27 GB/s, SiLU 18 -> 32, LayerNorm + modulate 28 -> 40; GEMM (8-11 ms kernels) and the
 * model's images/s, whose commands follow one another without a gap, unchanged.
 */
final class PoclThreadPinning {
    static final String VARIABLE = "POCL_AFFINITY";

    private static boolean applied;

    private PoclThreadPinning() {
    }

    /** Sets POCL_AFFINITY=1 in this process's C environment when {@link #safe} allows; once. */
    static synchronized void applyBeforeFirstCall() {
        if (applied || !safe(System.getenv(), read("/proc/self/status"), read("/sys/devices/system/cpu/online"))) {
            return;
        }
        applied = setenv(VARIABLE, "1");
    }

    /** Whether this process set POCL_AFFINITY=1 (for the device's description). */
    static synchronized boolean applied() {
        return applied;
    }

    /**
     * Whether pinning worker i to CPU i is safe: no POCL_AFFINITY given, the CPUs allowed to this
     * process ({@code Cpus_allowed_list} of /proc/self/status) are all the online ones, those are
     * 0..N-1, and POCL_MAX_PTHREAD_COUNT (if given) is at most N.
     */
    static boolean safe(Map<String, String> env, String procStatus, String onlineCpus) {
        if (env.containsKey(VARIABLE) || procStatus == null || onlineCpus == null) {
            return false;
        }
        String allowed = null;
        for (String line : procStatus.split("\n")) {
            if (line.startsWith("Cpus_allowed_list:")) {
                allowed = line.substring("Cpus_allowed_list:".length()).trim();
            }
        }
        String online = onlineCpus.trim();
        int n = zeroBasedRangeSize(online);
        if (allowed == null || !allowed.equals(online) || n <= 0) {
            return false;
        }
        String max = env.get("POCL_MAX_PTHREAD_COUNT");
        if (max == null) {
            return true;
        }
        try {
            return Integer.parseInt(max.trim()) <= n;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** N for a CPU list "0-(N-1)" (or "0" for one CPU); -1 for any other list. */
    private static int zeroBasedRangeSize(String list) {
        if (list.equals("0")) {
            return 1;
        }
        if (!list.matches("0-[0-9]+")) {
            return -1;
        }
        return Integer.parseInt(list.substring(2)) + 1;
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException | RuntimeException e) {
            return null; // not Linux, or not readable: then nothing is pinned
        }
    }

    /** libc's setenv(name, value, 0): PoCL reads the C environment, which System.getenv does not change. */
    private static boolean setenv(String name, String value) {
        Linker linker = Linker.nativeLinker();
        MethodHandle setenv = linker.defaultLookup().find("setenv")
                .map(s -> linker.downcallHandle(s, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT)))
                .orElse(null);
        if (setenv == null) {
            return false;
        }
        try (Arena a = Arena.ofConfined()) {
            return (int) setenv.invokeExact(a.allocateFrom(name), a.allocateFrom(value), 0) == 0;
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }
}
