package ditvm.bench;

import ditvm.api.KernelContext;
import ditvm.device.Device;
import ditvm.graph.DataTransferMode;
import ditvm.graph.TaskGraph;
import ditvm.kernel.Launch;
import ditvm.kernels.Gemm;
import ditvm.kernels.GemmWeights;
import ditvm.kernels.JavaGemm;
import ditvm.kernels.Kernels;
import ditvm.memory.FloatArray;
import ditvm.plan.ExecutionPlan;
import ditvm.plan.GridScheduler;
import ditvm.plan.ProfilerMode;
import java.util.ArrayList;
import java.util.List;

/**
 * A Java kernel and the hand-written C kernel of the same shape, on one device, interleaved:
 * both compiled and warmed up, then {@code rounds} alternating executions (C, Java, C, ...),
 * each timed by device events, so machine noise hits both alike. The ratio is C's median time
 * over Java's (1.00 = as fast, > 1 = the Java kernel is faster).
 */
public final class JavaVsC {
    /** One measured pair; {@code macs} 0 for the memory-bound kernels. */
    public record Pair(String kernel, String shape, Timings c, Timings java, long macs, long bytes,
                       double translateMs) {
        public double ratio() {
            return c.median() / java.median();
        }
    }

    private JavaVsC() {
    }

    /**
     * Every pair whose C source still exists: the CPU GEMM at each {@code gemmShapes} (M, N, K). (SiLU and
     * SAXPY were measured so at commit 623b1b2, before their C sources went: results/java-kernels-pocl.md.)
     */
    public static List<Pair> all(Device device, List<int[]> gemmShapes, int warmUp, int rounds) {
        List<Pair> out = new ArrayList<>();
        for (int[] s : gemmShapes) {
            out.add(gemm(device, s[0], s[1], s[2], warmUp, rounds));
        }
        return out;
    }

    /**
     * Median over 9 runs of each Java kernel's uncached translation, ms, after 100 warm-up
     * translations (the JIT's own code then runs compiled by the JVM, as in a long-lived process).
     */
    public static double[] warmTranslateMs() {
        List<java.lang.reflect.Method> methods = new ArrayList<>();
        for (Class<?> c : List.of(ditvm.kernels.Elementwise.class, JavaGemm.class)) {
            for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
                if (java.lang.reflect.Modifier.isPublic(m.getModifiers()) && java.lang.reflect.Modifier.isStatic(m.getModifiers())
                        && m.getReturnType() == void.class) {
                    methods.add(m);
                }
            }
        }
        double[] out = new double[methods.size()];
        for (int i = 0; i < out.length; i++) {
            for (int w = 0; w < 100; w++) {
                ditvm.jit.JavaKernel.translateUncachedNanos(methods.get(i));
            }
            double[] t = new double[9];
            for (int r = 0; r < t.length; r++) {
                t[r] = ditvm.jit.JavaKernel.translateUncachedNanos(methods.get(i)) / 1e6;
            }
            out[i] = new Timings(t).median();
        }
        return out;
    }

    private static Pair gemm(Device device, int m, int n, int k, int warmUp, int rounds) {
        try (FloatArray a = new FloatArray((long) m * k).fillUniform(3); FloatArray w = new FloatArray((long) n * k).fillUniform(4);
             FloatArray bias = new FloatArray(n).fillUniform(5); FloatArray o = new FloatArray((long) m * n);
             FloatArray wp = GemmWeights.pack(w, n, k)) {
            Launch launch = new Launch(new long[] {GemmWeights.panels(n), Launch.ceilDiv(m, 6)}, new long[] {1, 1});
            return measure(device, "gemm (6 x 32 Float16 tile, CPU shape)", m + "x" + n + "x" + k, (long) m * n * k,
                    4L * ((long) m * k + (long) n * k + (long) m * n), warmUp, rounds,
                    new TaskGraph("c").transferToDevice(DataTransferMode.FIRST_EXECUTION, a, wp, bias)
                            .prebuiltTask("gemm", Kernels.gemm(Gemm.Impl.CPU, Gemm.Epilogue.NONE), a, wp, bias, o, m, n, k), null,
                    new TaskGraph("java").transferToDevice(DataTransferMode.FIRST_EXECUTION, a, wp, bias)
                            .task("gemm", JavaGemm::gemmCpu, new KernelContext(), a, wp, bias, o, m, n, k),
                    new GridScheduler().set("java", "gemm", launch));
        }
    }

    private static Pair measure(Device device, String kernel, String shape, long macs, long bytes, int warmUp, int rounds,
                                TaskGraph c, GridScheduler cGrid, TaskGraph java, GridScheduler javaGrid) {
        try (ExecutionPlan pc = plan(c, cGrid, device); ExecutionPlan pj = plan(java, javaGrid, device)) {
            double translateMs = pj.execute().translateNanos() / 1e6;
            pc.execute();
            for (int i = 0; i < warmUp; i++) {
                pc.execute();
                pj.execute();
            }
            double[] tc = new double[rounds], tj = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                tc[i] = pc.execute().kernelNanos() / 1e9;
                tj[i] = pj.execute().kernelNanos() / 1e9;
            }
            return new Pair(kernel, shape, new Timings(tc), new Timings(tj), macs, bytes, translateMs);
        }
    }

    private static ExecutionPlan plan(TaskGraph g, GridScheduler grid, Device device) {
        ExecutionPlan p = new ExecutionPlan(g.snapshot()).withDevice(device).withProfiler(ProfilerMode.SILENT);
        return grid == null ? p : p.withGridScheduler(grid);
    }
}
