package ditvm.plan;

import java.util.List;

/**
 * One graph's execution. Times in ns: kernels and copies from device events (0 when the
 * profiler is off), compile from the host (0 when every kernel came from a cache), translate
 * the JIT's bytecode-to-C time of the Java kernels first compiled by this plan (done when the
 * task was added, reported here beside the driver's compile), total as host wall time of the
 * whole execution. Bytes are counted whether profiling is on or not.
 */
public record GraphProfile(String graph, List<TaskProfile> tasks, long compileNanos, long translateNanos,
                           long copyInNanos, long copyInBytes, long copyOutNanos, long copyOutBytes,
                           long totalNanos) {

    public GraphProfile {
        tasks = List.copyOf(tasks);
    }

    /** Sum of the tasks' kernel times. */
    public long kernelNanos() {
        return tasks.stream().mapToLong(TaskProfile::kernelNanos).sum();
    }
}
