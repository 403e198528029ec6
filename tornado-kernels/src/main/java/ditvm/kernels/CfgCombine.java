package ditvm.kernels;

import ditvm.api.KernelContext;
import ditvm.jit.JavaOp;
import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;
import java.util.List;

/**
 * Classifier-free guidance: {@code eps [2B, C, I, I]} (first B conditional, last B
 * unconditional) {@code -> out [B, C, I, I]}, {@code out = uncond + s (cond - uncond)} on channels
 * below guidedChannels, {@code out = cond} on the rest. DiT's official rule: guidedChannels = 3;
 * the textbook form: guidedChannels = C. Arguments: eps, out, B, C, I, s, guidedChannels.
 */
public final class CfgCombine extends JavaOp {
    private static final List<Param> PARAMS = List.of(
            Param.floats("eps", a -> 2 * half(a)), Param.floats("out", CfgCombine::half),
            Param.i32("B"), Param.i32("C"), Param.i32("I"), Param.f32("s"), Param.i32("guidedChannels"));

    CfgCombine() {
        super(CfgCombine.class, "cfgCombine", "cfg_combine", PARAMS);
    }

    private static long half(Args a) {
        return (long) a.i(2) * a.i(3) * a.i(4) * a.i(4);
    }

    @Override
    public void checkShapes(Args a) {
        Shapes.positive("B", a.i(2), "C", a.i(3), "I", a.i(4));
        Shapes.require(a.i(6) <= a.i(3), "guidedChannels = " + a.i(6) + " exceeds the channel count C = " + a.i(3));
        Shapes.require(Float.isFinite(a.f(5)), "guidance scale s must be finite, given " + a.f(5));
        Shapes.intRange("eps", 2 * half(a));
    }

    @Override
    public Launch launch(Args a) {
        return Shapes.perElement(half(a));
    }

    @Override
    public Cost cost(Args a) {
        long plane = (long) a.i(4) * a.i(4);
        long guided = (long) a.i(2) * a.i(6) * plane;
        return Cost.memory(4 * (half(a) + guided), 4 * half(a));
    }

    /**
     * forward_with_cfg's combine: eps [2B, C, I, I] holds the conditional half then the unconditional;
     * out [B, C, I, I] = uncond + s (cond - uncond) on the first guidedChannels channels, cond on the rest.
     */
    public static void cfgCombine(KernelContext ctx, FloatArray eps, FloatArray out, int B, int C, int I, float s,
                                  int guidedChannels) {
        int e = ctx.globalIdx;
        int plane = I * I;
        int condElems = B * C * plane;
        if (e >= condElems) {
            return;
        }
        float cond = eps.get(e);
        if (e / plane % C < guidedChannels) {
            float uncond = eps.get((long) condElems + e);
            out.set(e, uncond + s * (cond - uncond));
        } else {
            out.set(e, cond);
        }
    }
}
