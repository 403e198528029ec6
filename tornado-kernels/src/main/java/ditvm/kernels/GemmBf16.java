package ditvm.kernels;

import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Kernel;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;
import java.util.ArrayList;
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
        List<Param> p = new ArrayList<>(List.of(
                Param.floats("A", a -> (long) a.i(4) * a.i(6)),
                Param.ints("Wb", a -> GemmWeights.packedBf16Length(a.i(5), a.i(6))),
                Param.floats("bias", a -> a.i(5)),
                Param.floats("out", a -> (long) a.i(4) * a.i(5)),
                Param.i32("M"), Param.i32("N"), Param.i32("K")));
        if (epilogue == Gemm.Epilogue.GATED_RESIDUAL) {
            p.add(Param.floats("gate", a -> a.i(4) == 0 ? 0
                    : (long) (a.i(4) / a.i(10) - 1) * a.i(8) + a.i(9) + a.i(5)));
            p.addAll(List.of(Param.i32("gateStride"), Param.i32("gateOffset"), Param.i32("rowsPerSample")));
        }
        this.params = List.copyOf(p);
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
        if (epilogue == Gemm.Epilogue.GATED_RESIDUAL) {
            int rows = a.i(10);
            if (rows < 1 || a.i(4) % rows != 0) {
                throw new IllegalArgumentException("rowsPerSample must be >= 1 and divide M = " + a.i(4) + ", found " + rows);
            }
            if (a.i(9) + a.i(5) > a.i(8)) {
                throw new IllegalArgumentException("gate row: gateOffset " + a.i(9) + " + N " + a.i(5)
                        + " exceeds gateStride " + a.i(8));
            }
        }
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
        FloatArray x = a.floats(0), bias = a.floats(2), out = a.floats(3);
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
                long o = m * n + j;
                float v = acc + bias.get(j);
                out.set(o, switch (epilogue) {
                    case NONE -> v;
                    case GELU -> Activations.geluTanh(v);
                    case RESIDUAL -> out.get(o) + v;
                    case GATED_RESIDUAL -> out.get(o) + a.floats(7).get((m / a.i(10)) * a.i(8) + a.i(9) + j) * v;
                });
            }
        }
    }
}
