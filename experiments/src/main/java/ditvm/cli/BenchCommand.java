package ditvm.cli;

import ditvm.bench.KernelBench;
import ditvm.device.Device;
import ditvm.graph.DataTransferMode;
import ditvm.graph.TaskGraph;
import ditvm.kernels.Gemm;
import ditvm.kernels.GemmWeights;
import ditvm.kernels.Kernels;
import ditvm.memory.FloatArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ditvm bench KERNEL}: times one kernel on one device (kernel event time, median of N). */
@Command(name = "bench", description = "Time one kernel on one device.",
        subcommands = {BenchCommand.GemmBench.class})
final class BenchCommand implements Runnable {

    @Override
    public void run() {
        throw new Errors.UsageException("bench needs a kernel: gemm, attention or layernorm");
    }

    /** Options every bench subcommand takes. */
    static final class Common {
        @Option(names = "--device", defaultValue = "default", description = "java, opencl:P:D, cuda:N or default.")
        String device;

        @Option(names = "--warmup", defaultValue = "3", description = "Untimed executions after compilation.")
        int warmUp;

        @Option(names = "--iterations", defaultValue = "10", description = "Timed executions (median reported).")
        int iterations;

        @Option(names = "--json", description = "One JSON document on stdout.")
        boolean json;

        @Mixin
        KernelCacheOptions kernelCache;

        Device device() {
            return kernelCache.device(device);
        }
    }

    static FloatArray random(long seed, long n) {
        SplittableRandom r = new SplittableRandom(seed);
        FloatArray a = new FloatArray(n);
        for (long i = 0; i < n; i++) {
            a.set(i, (float) (r.nextDouble() * 2 - 1));
        }
        return a;
    }

    static void positive(String name, int v) {
        if (v < 1) {
            throw new Errors.UsageException(name + " must be >= 1, found " + v);
        }
    }

    static void report(Common c, String kernel, Map<String, Object> shape, KernelBench.Result r) {
        if (c.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kernel", kernel);
            m.put("device", r.device());
            m.put("shape", shape);
            m.put("iterations", r.kernelSeconds().seconds().length);
            m.put("median_s", r.kernelSeconds().median());
            m.put("p10_s", r.kernelSeconds().p10());
            m.put("p90_s", r.kernelSeconds().p90());
            m.put("macs", r.cost().macs());
            m.put("gflops", r.gflopsPerSecond());
            m.put("gbytes_per_s", r.gbytesPerSecond());
            m.put("compile_s", r.compileSeconds());
            System.out.println(Json.write(m));
        } else {
            System.out.printf(Locale.ROOT, "%s %s on %s: median %.3f ms (p10 %.3f, p90 %.3f), %.1f GFLOP/s, %.1f GB/s%n",
                    kernel, shape, r.device(), r.kernelSeconds().median() * 1e3, r.kernelSeconds().p10() * 1e3,
                    r.kernelSeconds().p90() * 1e3, r.gflopsPerSecond(), r.gbytesPerSecond());
        }
    }

    /** The GEMM {@code bench gemm} times: {@code impl}, else the device's choice. */
    static Gemm gemm(Device device, Gemm.Impl impl) {
        return impl == null ? Gemm.forDevice(device.info().type(), Gemm.Epilogue.NONE) : Kernels.gemm(impl, Gemm.Epilogue.NONE);
    }

    @Command(name = "gemm", description = "out[M,N] = A[M,K] * W[N,K]^T + bias: the device's GEMM.")
    static final class GemmBench implements Runnable {
        @Mixin
        Common common;

        @Option(names = "--m", required = true)
        int m;

        @Option(names = "--n", required = true)
        int n;

        @Option(names = "--k", required = true)
        int k;

        @Option(names = "--impl", description = "CPU or TILED; default: the device's choice.")
        Gemm.Impl impl;

        @Override
        public void run() {
            positive("--m", m);
            positive("--n", n);
            positive("--k", k);
            Device device = common.device();
            List<FloatArray> arrays = new ArrayList<>();
            try {
                FloatArray a = random(1, (long) m * k), b = random(3, n);
                FloatArray out = new FloatArray((long) m * n);
                arrays.addAll(List.of(a, b, out));
                FloatArray wp;
                try (FloatArray w = random(2, (long) n * k)) {
                    wp = GemmWeights.pack(w, n, k);
                }
                arrays.add(wp);
                Gemm gemm = gemm(device, impl);
                TaskGraph g = new TaskGraph("bench")
                        .transferToDevice(DataTransferMode.FIRST_EXECUTION, a, wp, b)
                        .task("gemm", gemm, a, wp, b, out, m, n, k);
                KernelBench.Result r = KernelBench.run(g.snapshot(), device, common.warmUp, common.iterations);
                Map<String, Object> shape = new LinkedHashMap<>();
                shape.put("m", m);
                shape.put("n", n);
                shape.put("k", k);
                report(common, gemm.name(), shape, r);
            } finally {
                arrays.forEach(FloatArray::close);
            }
        }
    }
}
