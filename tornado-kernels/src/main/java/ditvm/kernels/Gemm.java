package ditvm.kernels;

import ditvm.device.DeviceInfo;
import ditvm.graph.TaskGraph;
import ditvm.jit.JavaOp;
import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code out[M, N] = epilogue(A[M, K] * W[N, K]^T + bias[N])} with W packed by
 * {@link GemmWeights}. Arguments: A (for {@link Impl#CPU_PACKED}: A packed by {@link PackRows}, see
 * {@link #input}), Wp, bias, out, M, N, K, and for {@link Epilogue#GATED_RESIDUAL} also gate,
 * gateStride, gateOffset, rowsPerSample.
 *
 * <p>Three implementations of one contract, all Java kernels ({@link GemmKernels}):
 * {@link Impl#CPU} (12 x 32 Float16 register tiles, for CPUs with 16-float vectors),
 * {@link Impl#CPU_PACKED} (6 x 16 tiles on packed A, for CPUs with 8-float vectors) and
 * {@link Impl#TILED} (local-memory tiles, for GPUs). {@link #forDevice} picks by device. Each
 * epilogue but the gated one is the same method compiled with the epilogue fixed.
 */
public final class Gemm extends JavaOp {

    public enum Epilogue {
        /** out = acc + bias */
        NONE,
        /** out = gelu_tanh(acc + bias) */
        GELU,
        /** out += acc + bias (in place on the residual stream) */
        RESIDUAL,
        /** out += gate[b][n] * (acc + bias), b = m / rowsPerSample */
        GATED_RESIDUAL
    }

    public enum Impl {
        CPU("gemm_cpu", "cpu", 32),
        /** Argument 0 is A packed by {@link PackRows}. */
        CPU_PACKED("gemm_cpu_packed", "cpuPacked", 16),
        TILED("gemm_tiled", "tiled", 0);

        final String entry;
        final String method;
        /** Output columns of a work-item's tile (the CPU shapes). */
        final int columns;

        Impl(String entry, String method, int columns) {
            this.entry = entry;
            this.method = method;
            this.columns = columns;
        }
    }

    private final Impl impl;
    private final Epilogue epilogue;

    Gemm(Impl impl, Epilogue epilogue) {
        List<Param> p = GemmContract.params(Param.floats("Wp", a -> GemmWeights.packedLength(a.i(5), a.i(6))), epilogue);
        if (impl == Impl.CPU_PACKED) {
            p = new java.util.ArrayList<>(p);
            p.set(0, Param.floats("Ap", a -> PackRows.packedLength(a.i(4), a.i(6))));
        }
        super(GemmKernels.class, epilogue == Epilogue.GATED_RESIDUAL ? impl.method + "Gated" : impl.method,
                impl.entry + (epilogue == Epilogue.NONE ? "" : "_" + epilogue.name().toLowerCase()), p,
                epilogue == Epilogue.GATED_RESIDUAL ? Map.of() : Map.of("epilogue", epilogue.ordinal()));
        this.impl = impl;
        this.epilogue = epilogue;
    }

    /**
     * The GEMM for a device: register tiles on CPUs and the java device (12 x 32 where the vector
     * unit holds 16 floats; where it holds 8, 6 x 16 on A that a {@link PackRows} task writes first,
     * 1.07-1.27x the tile on A itself with the packing pass included: results/java-vs-c-kernels.md),
     * local-memory tiles elsewhere. Callers pass A through {@link #input}.
     */
    public static Gemm forDevice(DeviceInfo device, Epilogue epilogue) {
        if (!device.type().runsCpuKernels()) {
            return Kernels.gemm(Impl.TILED, epilogue);
        }
        return Kernels.gemm(device.floatVectorWidth() >= 16 ? Impl.CPU : Impl.CPU_PACKED, epilogue);
    }

    /** Whether argument 0 is A packed by {@link PackRows} rather than A itself. */
    public boolean packsA() {
        return impl == Impl.CPU_PACKED;
    }

    /**
     * This GEMM's argument 0 for A [m, k]: {@code a} itself, or where the GEMM reads packed A, the
     * array {@code scratch} gives (at least {@link PackRows#packedLength} floats) after adding task
     * {@code packTask} to {@code g}, which packs {@code a} into it.
     */
    public FloatArray input(TaskGraph g, String packTask, FloatArray a, Supplier<FloatArray> scratch, int m, int k) {
        if (!packsA()) {
            return a;
        }
        FloatArray ap = scratch.get();
        g.task(packTask, Kernels.PACK_ROWS, a, ap, m, k);
        return ap;
    }

    public Epilogue epilogue() {
        return epilogue;
    }

    public Impl impl() {
        return impl;
    }

    @Override
    public void checkShapes(Args a) {
        GemmContract.checkShapes(a, epilogue);
    }

    @Override
    public Launch launch(Args a) {
        int m = Math.max(1, a.i(4)), n = Math.max(1, a.i(5));
        return switch (impl) {
            case CPU -> new Launch(new long[] {Launch.ceilDiv(n, impl.columns), Launch.ceilDiv(m, GemmKernels.WIDE_ROWS)},
                    new long[] {1, 1});
            case CPU_PACKED -> new Launch(new long[] {Launch.ceilDiv(n, impl.columns), Launch.ceilDiv(m, GemmKernels.MR)},
                    new long[] {1, 1});
            case TILED -> new Launch(new long[] {Launch.ceilDiv(n, GemmKernels.TN) * 16, Launch.ceilDiv(m, GemmKernels.TM) * 16},
                    new long[] {16, 16});
        };
    }

    @Override
    public Cost cost(Args a) {
        long m = a.i(4), n = a.i(5), k = a.i(6);
        boolean readsOut = epilogue == Epilogue.RESIDUAL || epilogue == Epilogue.GATED_RESIDUAL;
        long read = 4 * (m * k + n * k + n + (readsOut ? m * n : 0));
        return new Cost(m * n * k, 0, read, 4 * m * n);
    }
}
