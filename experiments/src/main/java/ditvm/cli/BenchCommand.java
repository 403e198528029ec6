package ditvm.cli;

import ditvm.bench.KernelBench;
import ditvm.device.Device;
import ditvm.graph.DataTransferMode;
import ditvm.graph.TaskGraph;
import ditvm.kernels.Gemm;
import ditvm.kernels.GemmWeights;
import ditvm.kernels.Attention;
import ditvm.kernels.Elementwise;
import ditvm.kernels.Kernels;
import ditvm.kernels.LayerNormModulate;
import ditvm.memory.FloatArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ditvm bench KERNEL}: times one kernel on one device (kernel event time, median of N). */
@Command(name = "bench", description = "Time one kernel on one device.",
        subcommands = {BenchCommand.GemmBench.class, BenchCommand.AttentionBench.class, BenchCommand.LayerNormBench.class,
                BenchCommand.CopyBench.class, BenchCommand.ElementwiseBench.class, TranslateBench.class})
final class BenchCommand implements Runnable {

    @Override
    public void run() {
        throw new Errors.UsageException("bench needs a kernel: gemm, attention, layernorm, copy, elementwise or translate");
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

    static void positive(String name, int v) {
        if (v < 1) {
            throw new Errors.UsageException(name + " must be >= 1, found " + v);
        }
    }

    /** Times graph {@code g} on {@code device} and reports it under {@code kernel} and {@code shape}. */
    static void measure(Common c, Device device, String kernel, TaskGraph g, Map<String, Object> shape) {
        report(c, kernel, shape, KernelBench.run(g.snapshot(), device, c.warmUp, c.iterations));
    }

    /** An ordered shape map from name, value pairs. */
    static Map<String, Object> shape(Object... namesAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
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
        return impl == null ? Gemm.forDevice(device.info(), Gemm.Epilogue.NONE) : Kernels.gemm(impl, Gemm.Epilogue.NONE);
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

        @Option(names = "--impl", description = "CPU (12 x 32 tiles), CPU_PACKED (6 x 16 on A packed by a first pass, "
                + "timed together) or TILED; default: the device's choice.")
        Gemm.Impl impl;

        @Override
        public void run() {
            positive("--m", m);
            positive("--n", n);
            positive("--k", k);
            Device device = common.device();
            List<FloatArray> arrays = new ArrayList<>();
            try {
                FloatArray a = new FloatArray((long) m * k).fillUniform(1), b = new FloatArray(n).fillUniform(3);
                FloatArray out = new FloatArray((long) m * n);
                arrays.addAll(List.of(a, b, out));
                FloatArray wp;
                try (FloatArray w = new FloatArray((long) n * k).fillUniform(2)) {
                    wp = GemmWeights.pack(w, n, k);
                }
                arrays.add(wp);
                Gemm gemm = gemm(device, impl);
                TaskGraph g = new TaskGraph("bench").transferToDevice(DataTransferMode.FIRST_EXECUTION, a, wp, b);
                FloatArray in = gemm.input(g, "pack", a, () -> { // timed with its packing pass, as the model runs it
                    FloatArray ap = new FloatArray(ditvm.kernels.PackRows.packedLength(m, k));
                    arrays.add(ap);
                    return ap;
                }, m, k);
                g.task("gemm", gemm, in, wp, b, out, m, n, k);
                measure(common, device, gemm.name(), g, shape("m", m, "n", n, "k", k));
            } finally {
                arrays.forEach(FloatArray::close);
            }
        }
    }

    /** Which source of a kernel that has a portable one and a CPU one. */
    enum Source { PORTABLE, CPU }

    /** The device's choice when {@code source} is null: the portable source on GPUs, the CPU one elsewhere. */
    static boolean cpuSource(Source source, Device device) {
        return source == null ? device.info().type().runsCpuKernels() : source == Source.CPU;
    }

    @Command(name = "attention", description = "softmax(q k^T / sqrt(hd)) v on packed qkv [B, T, 3, H, hd].")
    static final class AttentionBench implements Runnable {
        @Mixin
        Common common;

        @Option(names = "--batch", required = true)
        int batch;

        @Option(names = "--heads", required = true)
        int heads;

        @Option(names = "--tokens", required = true)
        int tokens;

        @Option(names = "--head-dim", required = true)
        int headDim;

        @Option(names = "--impl", description = "PORTABLE or CPU; default: the device's choice (PORTABLE on GPUs).")
        Source impl;

        @Override
        public void run() {
            positive("--batch", batch);
            positive("--heads", heads);
            positive("--tokens", tokens);
            positive("--head-dim", headDim);
            Device device = common.device();
            Attention kernel = cpuSource(impl, device) ? Kernels.ATTENTION_CPU : Kernels.ATTENTION;
            long d = (long) heads * headDim;
            try (FloatArray qkv = new FloatArray((long) batch * tokens * 3 * d).fillUniform(1);
                 FloatArray out = new FloatArray((long) batch * tokens * d)) {
                TaskGraph g = new TaskGraph("bench")
                        .transferToDevice(DataTransferMode.FIRST_EXECUTION, qkv)
                        .task("attention", kernel, qkv, out, batch, tokens, heads, headDim, (float) (1 / Math.sqrt(headDim)));
                measure(common, device, kernel.name(), g, shape("batch", batch, "heads", heads, "tokens", tokens, "head_dim", headDim));
            }
        }
    }

    @Command(name = "layernorm", description = "LayerNorm over the last dim of x [rows, cols]: affine, or with --modulate "
            + "adaLN's h * (1 + scale[b]) + shift[b] (no affine), rows = batch * tokens.")
    static final class LayerNormBench implements Runnable {
        @Mixin
        Common common;

        @Option(names = "--rows", required = true)
        int rows;

        @Option(names = "--cols", required = true)
        int cols;

        @Option(names = "--modulate", description = "adaLN modulate (shift, scale per sample) instead of the affine.")
        boolean modulate;

        @Option(names = "--batch", defaultValue = "8", description = "Samples (modulation rows); must divide --rows.")
        int batch;

        @Option(names = "--impl", description = "PORTABLE or CPU; default: the device's choice (PORTABLE on GPUs).")
        Source impl;

        @Override
        public void run() {
            positive("--rows", rows);
            positive("--cols", cols);
            positive("--batch", batch);
            if (rows % batch != 0) {
                throw new Errors.UsageException("--batch must divide --rows, found rows " + rows + ", batch " + batch);
            }
            Device device = common.device();
            LayerNormModulate kernel = cpuSource(impl, device) ? Kernels.LAYERNORM_MODULATE_CPU : Kernels.LAYERNORM_MODULATE;
            int stride = 2 * cols; // mod [B, 2D]: shift, then scale
            try (FloatArray x = new FloatArray((long) rows * cols).fillUniform(1);
                 FloatArray gamma = new FloatArray(cols).fillUniform(2);
                 FloatArray beta = new FloatArray(cols).fillUniform(3);
                 FloatArray mod = new FloatArray((long) batch * stride).fillUniform(4);
                 FloatArray out = new FloatArray((long) rows * cols)) {
                TaskGraph g = new TaskGraph("bench")
                        .transferToDevice(DataTransferMode.FIRST_EXECUTION, x, gamma, beta, mod)
                        .task("layernorm", kernel, x, gamma, beta, mod, out, batch, rows / batch, cols, 1e-6f,
                                modulate ? 0 : 1, modulate ? 1 : 0, stride, 0, cols);
                measure(common, device, kernel.name(), g, shape("rows", rows, "cols", cols, "batch", batch, "modulate", modulate));
            }
        }
    }

    /** --bytes or --elements (floats); the default is the size of a DiT-S/2 batch-8 activation. */
    static long elements(Long bytes, Long elements) {
        if (bytes != null && elements != null) {
            throw new Errors.UsageException("give --bytes or --elements, not both");
        }
        long n = bytes != null ? bytes / 4 : elements != null ? elements : 2048L * 384;
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw new Errors.UsageException("the element count must be in [1, 2^31 - 1], found " + n);
        }
        return n;
    }

    @Command(name = "copy", description = "out[i] = in[i] over floats: the copy bandwidth the memory-bound kernels are judged by.")
    static final class CopyBench implements Runnable {
        @Mixin
        Common common;

        @Option(names = "--bytes", description = "Bytes per array (rounded down to floats); default 2048 * 384 floats.")
        Long bytes;

        @Option(names = "--elements", description = "Floats per array.")
        Long elements;

        @Option(names = "--impl", description = "PORTABLE or CPU; default: the device's choice (PORTABLE on GPUs).")
        Source impl;

        @Override
        public void run() {
            int n = (int) elements(bytes, elements);
            Device device = common.device();
            Elementwise kernel = cpuSource(impl, device) ? Kernels.COPY_CPU : Kernels.COPY;
            try (FloatArray in = new FloatArray(n).fillUniform(1); FloatArray out = new FloatArray(n)) {
                TaskGraph g = new TaskGraph("bench")
                        .transferToDevice(DataTransferMode.FIRST_EXECUTION, in)
                        .task("copy", kernel, in, out, n);
                measure(common, device, kernel.name(), g, Map.of("elements", n));
            }
        }
    }

    enum ElementwiseOp { SILU, GELU_TANH, ADD }

    @Command(name = "elementwise", description = "An elementwise kernel (silu, gelu_tanh, add) over floats.")
    static final class ElementwiseBench implements Runnable {
        @Mixin
        Common common;

        @Option(names = "--op", required = true, description = "SILU, GELU_TANH or ADD.")
        ElementwiseOp op;

        @Option(names = "--bytes", description = "Bytes per array (rounded down to floats); default 2048 * 384 floats.")
        Long bytes;

        @Option(names = "--elements", description = "Floats per array.")
        Long elements;

        @Option(names = "--impl", description = "PORTABLE or CPU; default: the device's choice (PORTABLE on GPUs).")
        Source impl;

        @Override
        public void run() {
            int n = (int) elements(bytes, elements);
            Device device = common.device();
            boolean cpu = cpuSource(impl, device);
            try (FloatArray a = new FloatArray(n).fillUniform(1); FloatArray b = new FloatArray(n).fillUniform(2);
                 FloatArray out = new FloatArray(n)) {
                TaskGraph g = new TaskGraph("bench").transferToDevice(DataTransferMode.FIRST_EXECUTION, a);
                Elementwise kernel = switch (op) {
                    case SILU -> cpu ? Kernels.SILU_CPU : Kernels.SILU;
                    case GELU_TANH -> cpu ? Kernels.GELU_TANH_CPU : Kernels.GELU_TANH;
                    case ADD -> cpu ? Kernels.ADD_CPU : Kernels.ADD;
                };
                if (op == ElementwiseOp.ADD) {
                    g.transferToDevice(DataTransferMode.FIRST_EXECUTION, b).task("add", kernel, a, b, out, n);
                } else {
                    g.task(kernel.name(), kernel, a, out, n);
                }
                measure(common, device, kernel.name(), g, Map.of("elements", n));
            }
        }
    }
}
