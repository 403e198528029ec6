package ditvm.kernels;

import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Kernel;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;
import java.util.List;

/**
 * {@code out[M, N] = A[M, K] * W[N, K]^T + bias[N]}, W in PyTorch's Linear layout; the portable
 * local-memory tiled kernel (gemm_tiled.cl). Arguments: A, W, bias, out, M, N, K.
 */
public final class GemmTiled implements Kernel {
    private static final List<Param> PARAMS = List.of(
            Param.floats("A", a -> (long) a.i(4) * a.i(6)),
            Param.floats("W", a -> (long) a.i(5) * a.i(6)),
            Param.floats("bias", a -> a.i(5)),
            Param.floats("out", a -> (long) a.i(4) * a.i(5)),
            Param.i32("M"), Param.i32("N"), Param.i32("K"));

    @Override
    public String name() {
        return "gemm_tiled";
    }

    @Override
    public String sourceFile() {
        return "gemm_tiled.cl";
    }

    @Override
    public List<Param> params() {
        return PARAMS;
    }

    @Override
    public Launch launch(Args a) {
        // 16 x 16 work-items per 64 x 64 tile of out; dimension 0 runs along N.
        return new Launch(new long[] {Launch.ceilDiv(a.i(5), 64) * 16, Launch.ceilDiv(a.i(4), 64) * 16},
                new long[] {16, 16});
    }

    @Override
    public Cost cost(Args a) {
        long m = a.i(4), n = a.i(5), k = a.i(6);
        return new Cost(m * n * k, 0, 4 * (m * k + n * k + n), 4 * m * n);
    }

    @Override
    public long parallelism(Args a) {
        return a.i(4);
    }

    @Override
    public void reference(Args a, long from, long to) {
        FloatArray x = a.floats(0), w = a.floats(1), bias = a.floats(2), out = a.floats(3);
        int n = a.i(5), k = a.i(6);
        float[] row = new float[k];
        float[] wrow = new float[k];
        for (long m = from; m < to; m++) {
            for (int kk = 0; kk < k; kk++) {
                row[kk] = x.get(m * k + kk);
            }
            for (int j = 0; j < n; j++) {
                for (int kk = 0; kk < k; kk++) {
                    wrow[kk] = w.get((long) j * k + kk);
                }
                float acc = 0;
                for (int kk = 0; kk < k; kk++) {
                    acc += row[kk] * wrow[kk];
                }
                out.set(m * n + j, acc + bias.get(j));
            }
        }
    }
}
