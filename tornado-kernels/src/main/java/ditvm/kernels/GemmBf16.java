package ditvm.kernels;

import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Kernel;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;
import java.util.List;

/**
 * The reduced-precision GEMM (CUDA sm_80+ only, tensor cores):
 * {@code out[M, N] = epilogue(bf16(A)[M, K] * bf16(W)[N, K]^T + bias[N])}, fp32 accumulation,
 * fp32 A, bias and out. Arguments as {@link Gemm}'s, except that W arrives packed by
 * {@link GemmWeights#packBf16} (an {@link IntArray} of bf16 pairs): A, Wb, bias, out, M, N, K, and
 * for {@link Gemm.Epilogue#GATED_RESIDUAL} gate, gateStride, gateOffset, rowsPerSample.
 *
 * <p>An explicit option: fp32 {@link Gemm} stays the default and the reference. The Java
 * reference rounds A and W to bf16 exactly as the kernel does and accumulates in fp32, so it is
 * the kernel's oracle to fp32 accuracy, and differs from the fp32 GEMM by bf16 rounding.
 */
public final class GemmBf16 implements Kernel {
    private final Gemm.Epilogue epilogue;
    private final List<Param> params;

    GemmBf16(Gemm.Epilogue epilogue) {
        this.epilogue = epilogue;
        this.params = GemmContract.params(Param.ints("Wb", a -> GemmWeights.packedBf16Length(a.i(5), a.i(6))), epilogue);
    }

    public Gemm.Epilogue epilogue() {
        return epilogue;
    }

    @Override
    public String name() {
        return "gemm_bf16" + (epilogue == Gemm.Epilogue.NONE ? "" : "_" + epilogue.name().toLowerCase());
    }

    @Override
    public String entryPoint() {
        return "gemm_bf16";
    }

    @Override
    public String sourceFile() {
        return "gemm_bf16_cuda.cu";
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

    /** Blocks of 128 threads (4 warps), one per 64 x 64 tile of out. */
    @Override
    public Launch launch(Args a) {
        int m = Math.max(1, a.i(4)), n = Math.max(1, a.i(5));
        return new Launch(new long[] {Launch.ceilDiv(n, 64) * 128, Launch.ceilDiv(m, 64)}, new long[] {128, 1});
    }

    @Override
    public Cost cost(Args a) {
        long m = a.i(4), n = a.i(5), k = a.i(6);
        boolean readsOut = epilogue == Gemm.Epilogue.RESIDUAL || epilogue == Gemm.Epilogue.GATED_RESIDUAL;
        long read = 4 * m * k + 2 * n * k + 4 * n + (readsOut ? 4 * m * n : 0);
        return new Cost(m * n * k, 0, read, 4 * m * n);
    }

    @Override
    public long parallelism(Args a) {
        return a.i(4);
    }

    @Override
    public void reference(Args a, long from, long to) {
        FloatArray x = a.floats(0), bias = a.floats(2);
        IntArray wb = a.ints(1);
        int n = a.i(5), k = a.i(6);
        float[] w = new float[n * k];
        for (int j = 0; j < n; j++) {
            for (int kk = 0; kk < k; kk++) {
                w[j * k + kk] = GemmWeights.bf16At(wb, k, j, kk);
            }
        }
        float[] row = new float[k];
        for (long m = from; m < to; m++) {
            for (int kk = 0; kk < k; kk++) {
                row[kk] = Bf16.round(x.get(m * k + kk));
            }
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int kk = 0; kk < k; kk++) {
                    acc += row[kk] * w[j * k + kk];
                }
                GemmContract.store(a, epilogue, m, j, acc + bias.get(j));
            }
        }
    }
}
