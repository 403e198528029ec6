package ditvm.kernels;

import ditvm.api.KernelContext;
import ditvm.jit.JavaOp;
import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.IntArray;
import java.util.List;

/**
 * {@code step[0] += 1}: a sampler's device-resident step counter, advanced after each reverse step so
 * that the next execution of the same graph reads the next row of its tables. Arguments: step [1].
 *
 * <p>Versions:
 *   v1  C (step_advance.cl), one work-item.
 *   v2  (this) the same in Java through the JIT.
 */
public final class StepAdvance extends JavaOp {
    private static final List<Param> PARAMS = List.of(Param.ints("step", a -> 1));

    StepAdvance() {
        super(StepAdvance.class, "stepAdvance", "step_advance", PARAMS);
    }

    @Override
    public Launch launch(Args a) {
        return Launch.grid(new long[] {1}, new long[] {1});
    }

    @Override
    public Cost cost(Args a) {
        return Cost.memory(4, 4);
    }

    /** step[0] = step[0] + 1, by work-item 0 of a one-item launch. */
    public static void stepAdvance(KernelContext ctx, IntArray step) {
        if (ctx.globalIdx == 0) {
            step.set(0, step.get(0) + 1);
        }
    }
}
