package ditvm.kernels;

import ditvm.api.Parallel;
import ditvm.jit.JavaOp;
import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;
import java.util.List;

/** {@code y = alpha * x + y} over n elements. Arguments: x, y, alpha, n. The smallest kernel: proves the path. */
public final class Axpy extends JavaOp {
    private static final List<Param> PARAMS = List.of(
            Param.floats("x", a -> a.i(3)),
            Param.floats("y", a -> a.i(3)),
            Param.f32("alpha"),
            Param.i32("n"));

    Axpy() {
        super(Axpy.class, "axpy", "axpy", PARAMS);
    }

    /** y[i] = alpha * x[i] + y[i], i < n. */
    public static void axpy(FloatArray x, FloatArray y, float alpha, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            y.set(i, alpha * x.get(i) + y.get(i));
        }
    }

    @Override
    public Cost cost(Args a) {
        long n = a.i(3);
        return Cost.memory(8 * n, 4 * n);
    }
}
