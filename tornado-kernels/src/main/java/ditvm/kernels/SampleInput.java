package ditvm.kernels;

import ditvm.api.KernelContext;
import ditvm.jit.JavaOp;
import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;
import java.util.List;

/**
 * The model's input for one sampling step, from the device-resident state:
 * {@code x [n, C, I, I]} (imageElems = C * I * I per sample) {@code -> xin [copies * n, C, I, I]},
 * copies 1 or 2: xin = x, or {@code [x ; x]} for classifier-free guidance (the conditional and the
 * null-class half); {@code t [copies * n] = timesteps[step[0]]}, the ORIGINAL timestep of respaced
 * step k = step[0] (timesteps [steps] in loop order, k = 0 the largest).
 * Arguments: x, timesteps [steps], step [1], xin, t, n, imageElems (C * I * I), copies, steps.
 *
 * <p>Versions:
 *   v1  C (sample_input.cl), one work-item per element of xin.
 *   v2  (this) the same in Java through the JIT.
 */
public final class SampleInput extends JavaOp {
    private static final List<Param> PARAMS = List.of(
            Param.floats("x", a -> state(a)), Param.floats("timesteps", a -> a.i(8)), Param.ints("step", a -> 1),
            Param.floats("xin", a -> a.i(7) * state(a)), Param.floats("t", a -> (long) a.i(7) * a.i(5)),
            Param.i32("n"), Param.i32("imageElems"), Param.i32("copies"), Param.i32("steps"));

    SampleInput() {
        super(SampleInput.class, "sampleInput", "sample_input", PARAMS);
    }

    private static long state(Args a) {
        return (long) a.i(5) * a.i(6);
    }

    @Override
    public void checkShapes(Args a) {
        Shapes.positive("n", a.i(5), "imageElems", a.i(6), "steps", a.i(8));
        Shapes.require(a.i(7) == 1 || a.i(7) == 2, "copies must be 1 or 2, given " + a.i(7));
        Shapes.intRange("xin", a.i(7) * state(a));
    }

    @Override
    public Launch launch(Args a) {
        return Shapes.perElement(a.i(7) * state(a));
    }

    @Override
    public Cost cost(Args a) {
        long out = a.i(7) * state(a);
        return Cost.memory(4 * state(a) + 8, 4 * (out + (long) a.i(7) * a.i(5)));
    }

    /**
     * xin[e] = x[e % (n imageElems)], e < copies n imageElems; t[r] = timesteps[step[0]], r < copies n.
     * One work-item per element of xin.
     */
    public static void sampleInput(KernelContext ctx, FloatArray x, FloatArray timesteps, IntArray step, FloatArray xin,
                                   FloatArray t, int n, int imageElems, int copies, int steps) {
        int e = ctx.globalIdx;
        int state = n * imageElems;
        if (e >= copies * state) {
            return;
        }
        xin.set(e, x.get(e % state));
        if (e < copies * n) {
            t.set(e, timesteps.get(step.get(0)));
        }
    }
}
