package ditvm.kernels;

import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Kernel;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;
import java.util.List;

/** {@code y = alpha * x + y} over n elements. Arguments: x, y, alpha, n. */
public final class Axpy implements Kernel {
    private static final List<Param> PARAMS = List.of(
            Param.floats("x", a -> a.i(3)),
            Param.floats("y", a -> a.i(3)),
            Param.f32("alpha"),
            Param.i32("n"));

    @Override
    public String name() {
        return "axpy";
    }

    @Override
    public String sourceFile() {
        return "axpy.cl";
    }

    @Override
    public List<Param> params() {
        return PARAMS;
    }

    @Override
    public Launch launch(Args a) {
        return Launch.grid(new long[] {a.i(3)}, new long[] {64});
    }

    @Override
    public Cost cost(Args a) {
        long n = a.i(3);
        return Cost.memory(8 * n, 4 * n);
    }

    @Override
    public long parallelism(Args a) {
        return a.i(3);
    }

    @Override
    public void reference(Args a, long from, long to) {
        FloatArray x = a.floats(0);
        FloatArray y = a.floats(1);
        float alpha = a.f(2);
        for (long i = from; i < to; i++) {
            y.set(i, alpha * x.get(i) + y.get(i));
        }
    }
}
