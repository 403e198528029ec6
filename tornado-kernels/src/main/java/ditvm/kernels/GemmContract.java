package ditvm.kernels;

import ditvm.kernel.Args;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;
import java.util.ArrayList;
import java.util.List;

/**
 * What every GEMM kernel shares, whatever its weight format: the argument list (A, W, bias,
 * out, M, N, K, and for the gated epilogue gate, gateStride, gateOffset, rowsPerSample), the
 * gated shape rules and the epilogue applied to one output element.
 */
final class GemmContract {

    private GemmContract() {
    }

    /** The parameters, with {@code weight} the kernel's packed weight parameter (argument 1). */
    static List<Param> params(Param weight, Gemm.Epilogue epilogue) {
        List<Param> p = new ArrayList<>(List.of(
                Param.floats("A", a -> (long) a.i(4) * a.i(6)),
                weight,
                Param.floats("bias", a -> a.i(5)),
                Param.floats("out", a -> (long) a.i(4) * a.i(5)),
                Param.i32("M"), Param.i32("N"), Param.i32("K")));
        if (epilogue == Gemm.Epilogue.GATED_RESIDUAL) {
            p.add(Param.floats("gate", a -> a.i(4) == 0 ? 0 : (long) (a.i(4) / a.i(10) - 1) * a.i(8) + a.i(9) + a.i(5)));
            p.addAll(List.of(Param.i32("gateStride"), Param.i32("gateOffset"), Param.i32("rowsPerSample")));
        }
        return List.copyOf(p);
    }

    static void checkShapes(Args a, Gemm.Epilogue epilogue) {
        if (epilogue != Gemm.Epilogue.GATED_RESIDUAL) {
            return;
        }
        int rows = a.i(10);
        if (rows < 1 || a.i(4) % rows != 0) {
            throw new IllegalArgumentException("rowsPerSample must be >= 1 and divide M = " + a.i(4) + ", found " + rows);
        }
        if (a.i(9) + a.i(5) > a.i(8)) {
            throw new IllegalArgumentException("gate row: gateOffset " + a.i(9) + " + N " + a.i(5) + " exceeds gateStride " + a.i(8));
        }
    }

    /** Writes out[m, col] = epilogue(v), v = the accumulated product plus bias. */
    static void store(Args a, Gemm.Epilogue epilogue, long m, int col, float v) {
        FloatArray out = a.floats(3);
        long o = m * a.i(5) + col;
        out.set(o, switch (epilogue) {
            case NONE -> v;
            case GELU -> Elementwise.geluTanh(v);
            case RESIDUAL -> out.get(o) + v;
            case GATED_RESIDUAL -> out.get(o) + a.floats(7).get((m / a.i(10)) * a.i(8) + a.i(9) + col) * v;
        });
    }
}
