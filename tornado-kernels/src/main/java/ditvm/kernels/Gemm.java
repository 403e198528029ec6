package ditvm.kernels;

import ditvm.device.DeviceType;
import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Kernel;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;
import java.util.List;

/**
 * {@code out[M, N] = epilogue(A[M, K] * W[N, K]^T + bias[N])} with W packed by
 * {@link GemmWeights}. Arguments: A, Wp, bias, out, M, N, K, and for
 * {@link Epilogue#GATED_RESIDUAL} also gate, gateStride, gateOffset, rowsPerSample.
 *
 * <p>Two implementations of one contract: {@link Impl#CPU} (gemm_cpu.cl, OpenCL float16
 * register tiles, for CPUs) and {@link Impl#TILED} (gemm_tiled.cl, portable local-memory tiles,
 * for GPUs). {@link #forDevice} picks by device type.
 */
public final class Gemm implements Kernel {

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
        CPU("gemm_cpu", "gemm_cpu.cl"), TILED("gemm_tiled", "gemm_tiled.cl");

        final String entry;
        final String file;

        Impl(String entry, String file) {
            this.entry = entry;
            this.file = file;
        }
    }

    private static final int MR = 6; // gemm_cpu rows per work-item

    private final Impl impl;
    private final Epilogue epilogue;
    private final List<Param> params;

    Gemm(Impl impl, Epilogue epilogue) {
        this.impl = impl;
        this.epilogue = epilogue;
        this.params = GemmContract.params(Param.floats("Wp", a -> GemmWeights.packedLength(a.i(5), a.i(6))), epilogue);
    }

    /** The GEMM for a device: register tiles on CPUs and the java device, local-memory tiles elsewhere. */
    public static Gemm forDevice(DeviceType type, Epilogue epilogue) {
        Impl impl = type.runsCpuKernels() ? Impl.CPU : Impl.TILED;
        return Kernels.gemm(impl, epilogue);
    }

    public Epilogue epilogue() {
        return epilogue;
    }

    public Impl impl() {
        return impl;
    }

    @Override
    public String name() {
        return impl.entry + (epilogue == Epilogue.NONE ? "" : "_" + epilogue.name().toLowerCase());
    }

    @Override
    public String entryPoint() {
        return impl.entry;
    }

    @Override
    public String sourceFile() {
        return impl.file;
    }

    @Override
    public String buildOptions() {
        return "-DEPILOGUE=" + epilogue.ordinal();
    }

    @Override
    public List<Param> params() {
        return params;
    }

    @Override
    public void checkShapes(Args a) {
        GemmContract.checkShapes(a, epilogue);
    }

    @Override
    public Launch launch(Args a) {
        int m = Math.max(1, a.i(4)), n = Math.max(1, a.i(5));
        return switch (impl) {
            case CPU -> new Launch(new long[] {GemmWeights.panels(n), Launch.ceilDiv(m, MR)}, new long[] {1, 1});
            case TILED -> new Launch(new long[] {Launch.ceilDiv(n, 64) * 16, Launch.ceilDiv(m, 64) * 16}, new long[] {16, 16});
        };
    }

    @Override
    public Cost cost(Args a) {
        long m = a.i(4), n = a.i(5), k = a.i(6);
        boolean readsOut = epilogue == Epilogue.RESIDUAL || epilogue == Epilogue.GATED_RESIDUAL;
        long read = 4 * (m * k + n * k + n + (readsOut ? m * n : 0));
        return new Cost(m * n * k, 0, read, 4 * m * n);
    }

    @Override
    public long parallelism(Args a) {
        return a.i(4);
    }

    /**
     * Rows [from, to): per panel of 32 output columns, the panel is copied once and each row of
     * the range accumulates over K into 32 lanes (a loop the JIT vectorises), then the epilogue is applied; float32 throughout, summed in k order.
     */
    @Override
    public void reference(Args a, long from, long to) {
        FloatArray x = a.floats(0), wp = a.floats(1), bias = a.floats(2);
        int n = a.i(5), k = a.i(6);
        int rows = (int) (to - from);
        float[] block = x.segment().asSlice(from * k * Float.BYTES, (long) rows * k * Float.BYTES)
                .toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT);
        int nr = GemmWeights.NR;
        float[] acc = new float[nr];
        for (int p = 0; p < GemmWeights.panels(n); p++) {
            long base = (long) p * nr * k;
            float[] panel = wp.segment().asSlice(base * Float.BYTES, (long) nr * k * Float.BYTES)
                    .toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT);
            int cols = Math.min(nr, n - p * nr);
            for (int r = 0; r < rows; r++) {
                java.util.Arrays.fill(acc, 0f);
                for (int kk = 0; kk < k; kk++) {
                    float av = block[r * k + kk];
                    int w = kk * nr;
                    for (int j = 0; j < nr; j++) {
                        acc[j] += av * panel[w + j];
                    }
                }
                for (int j = 0; j < cols; j++) {
                    int col = p * nr + j;
                    GemmContract.store(a, epilogue, from + r, col, acc[j] + bias.get(col));
                }
            }
        }
    }
}
