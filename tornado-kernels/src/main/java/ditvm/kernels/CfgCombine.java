package ditvm.kernels;

import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;

/**
 * Classifier-free guidance (cfg_combine.cl): {@code eps [2B, C, I, I]} (first B conditional, last B
 * unconditional) {@code -> out [B, C, I, I]}, {@code out = uncond + s (cond - uncond)} on channels
 * below guidedChannels, {@code out = cond} on the rest. DiT's official rule: guidedChannels = 3;
 * the textbook form: guidedChannels = C. Arguments: eps, out, B, C, I, s, guidedChannels.
 */
public final class CfgCombine extends SourceKernel {
    CfgCombine() {
        super("cfg_combine", "cfg_combine.cl",
                Param.floats("eps", a -> 2 * half(a)), Param.floats("out", CfgCombine::half),
                Param.i32("B"), Param.i32("C"), Param.i32("I"), Param.f32("s"), Param.i32("guidedChannels"));
    }

    private static long half(Args a) {
        return (long) a.i(2) * a.i(3) * a.i(4) * a.i(4);
    }

    @Override
    public void checkShapes(Args a) {
        positive("B", a.i(2), "C", a.i(3), "I", a.i(4));
        require(a.i(6) <= a.i(3), "guidedChannels = " + a.i(6) + " exceeds the channel count C = " + a.i(3));
        require(Float.isFinite(a.f(5)), "guidance scale s must be finite, given " + a.f(5));
        intRange("eps", 2 * half(a));
    }

    @Override
    public Launch launch(Args a) {
        return perElement(half(a));
    }

    @Override
    public Cost cost(Args a) {
        long plane = (long) a.i(4) * a.i(4);
        long guided = (long) a.i(2) * a.i(6) * plane;
        return Cost.memory(4 * (half(a) + guided), 4 * half(a));
    }

    /** Units are (b, c) planes, numbered b * C + c. */
    @Override
    public long parallelism(Args a) {
        return (long) a.i(2) * a.i(3);
    }

    @Override
    public void reference(Args a, long from, long to) {
        FloatArray eps = a.floats(0), out = a.floats(1);
        int c = a.i(3), guided = a.i(6);
        long plane = (long) a.i(4) * a.i(4), half = half(a);
        float s = a.f(5);
        for (long u = from; u < to; u++) {
            boolean guide = u % c < guided;
            for (long i = u * plane; i < (u + 1) * plane; i++) {
                float cond = eps.get(i);
                float uncond = eps.get(half + i);
                out.set(i, guide ? uncond + s * (cond - uncond) : cond);
            }
        }
    }
}
