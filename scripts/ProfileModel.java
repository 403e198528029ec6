import ditvm.device.Devices;
import ditvm.model.DiTConfig;
import ditvm.model.Variant;
import ditvm.model.graph.DiTForward;
import ditvm.model.weights.DiTWeights;
import ditvm.plan.ExecutionResult;
import ditvm.plan.GraphProfile;
import ditvm.plan.ProfilerMode;
import ditvm.plan.TaskProfile;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where one forward pass's device time goes, per kernel: the model built as `ablation` builds it
 * (weights initialised with seed 0), two untimed executions, then the profiler's device-event
 * times summed per kernel over ITERATIONS executions. Run by scripts/profile-model.sh.
 */
public class ProfileModel {
    public static void main(String[] args) {
        if (args.length != 5) {
            System.err.println("usage: profile-model.sh DEVICE MODEL IMAGE_SIZE BATCH VARIANTS   e.g. opencl:0:0 DiT-S/2 512 4 in-context,adaln-zero");
            System.exit(2);
        }
        DiTConfig config = DiTConfig.preset(args[1], Integer.parseInt(args[2]));
        int batch = Integer.parseInt(args[3]);
        int iterations = Integer.parseInt(System.getenv().getOrDefault("ITERATIONS", "3"));
        for (Variant variant : Variant.parseList(args[4])) {
            DiTForward forward;
            try (DiTWeights w = DiTWeights.initialize(config, variant, 0)) {
                forward = DiTForward.build(w, batch, Devices.get(args[0]));
            }
            try (DiTForward f = forward) {
                f.plan().withProfiler(ProfilerMode.SILENT).withPreCompilation();
                f.execute();
                f.execute();
                Map<String, long[]> byKernel = new LinkedHashMap<>(); // kernel -> {nanos, launches}
                long total = 0;
                for (int i = 0; i < iterations; i++) {
                    ExecutionResult r = f.execute();
                    for (GraphProfile g : r.profile()) {
                        for (TaskProfile t : g.tasks()) {
                            long[] sum = byKernel.computeIfAbsent(t.kernel(), k -> new long[2]);
                            sum[0] += t.kernelNanos();
                            sum[1]++;
                            total += t.kernelNanos();
                        }
                    }
                }
                System.out.printf("%n%s %s %d batch %d on %s: %.1f ms of kernel time per forward pass (%d passes)%n%n",
                        args[1], variant, config.inputSize() * DiTConfig.VAE_DOWNSAMPLE, batch, args[0], total / 1e6 / iterations,
                        iterations);
                System.out.println("| kernel | launches | ms per pass | share |");
                System.out.println("|---|---:|---:|---:|");
                long all = total;
                byKernel.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]))
                        .forEach(e -> System.out.printf("| %s | %d | %.2f | %.1f%% |%n", e.getKey(), e.getValue()[1] / iterations,
                                e.getValue()[0] / 1e6 / iterations, 100.0 * e.getValue()[0] / all));
            }
        }
    }
}
