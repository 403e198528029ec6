package ditvm.kernels;

import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;

/**
 * The model input of one sampling step (sample_input.cl): {@code x [n, C, I, I] -> xin [copies * n,
 * C, I, I]} ({@code [x ; x]} with guidance, copies = 2), {@code t [copies * n] = timesteps[step[0]]}.
 * Arguments: x, timesteps [steps], step [1], xin, t, n, imageElems (C * I * I), copies, steps.
 */
public final class SampleInput extends SourceKernel {
    SampleInput() {
        super("sample_input", "sample_input.cl",
                Param.floats("x", a -> state(a)), Param.floats("timesteps", a -> a.i(8)), Param.ints("step", a -> 1),
                Param.floats("xin", a -> a.i(7) * state(a)), Param.floats("t", a -> (long) a.i(7) * a.i(5)),
                Param.i32("n"), Param.i32("imageElems"), Param.i32("copies"), Param.i32("steps"));
    }

    private static long state(Args a) {
        return (long) a.i(5) * a.i(6);
    }

    @Override
    public void checkShapes(Args a) {
        positive("n", a.i(5), "imageElems", a.i(6), "steps", a.i(8));
        require(a.i(7) == 1 || a.i(7) == 2, "copies must be 1 or 2, given " + a.i(7));
        intRange("xin", a.i(7) * state(a));
    }

    @Override
    public Launch launch(Args a) {
        return perElement(a.i(7) * state(a));
    }

    @Override
    public Cost cost(Args a) {
        long out = a.i(7) * state(a);
        return Cost.memory(4 * state(a) + 8, 4 * (out + (long) a.i(7) * a.i(5)));
    }

    /** Units are the copies * n samples of xin. */
    @Override
    public long parallelism(Args a) {
        return (long) a.i(7) * a.i(5);
    }

    @Override
    public void reference(Args a, long from, long to) {
        FloatArray x = a.floats(0), timesteps = a.floats(1), xin = a.floats(3), t = a.floats(4);
        IntArray step = a.ints(2);
        int n = a.i(5), image = a.i(6);
        float tk = timesteps.get(step.get(0));
        for (long r = from; r < to; r++) {
            long src = (r % n) * image;
            for (long i = 0; i < image; i++) {
                xin.set(r * image + i, x.get(src + i));
            }
            t.set(r, tk);
        }
    }
}
