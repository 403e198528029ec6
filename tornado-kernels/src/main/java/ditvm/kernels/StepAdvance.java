package ditvm.kernels;

import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.IntArray;

/** {@code step[0] += 1} (step_advance.cl): a sampler's device-resident step counter. Arguments: step [1]. */
public final class StepAdvance extends SourceKernel {
    StepAdvance() {
        super("step_advance", "step_advance.cl", Param.ints("step", a -> 1));
    }

    @Override
    public Launch launch(Args a) {
        return Launch.grid(new long[] {1}, new long[] {1});
    }

    @Override
    public Cost cost(Args a) {
        return Cost.memory(4, 4);
    }

    @Override
    public long parallelism(Args a) {
        return 1;
    }

    @Override
    public void reference(Args a, long from, long to) {
        IntArray step = a.ints(0);
        step.set(0, step.get(0) + 1);
    }
}
