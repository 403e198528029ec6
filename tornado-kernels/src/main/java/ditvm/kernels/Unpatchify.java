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
 * Patch vectors back to images: {@code x [B*T, p*p*C] -> out [B, C, I, I]},
 * T = (I/p)^2, per-token vector ordered [pr][pc][c] (channel fastest), token = row * (I/p) + col.
 * Arguments: x, out, B, C, I, p.
 */
public final class Unpatchify extends JavaOp {
    private static final List<Param> PARAMS = List.of(
            Param.floats("x", Patchify::elements), Param.floats("out", Patchify::elements),
            Param.i32("B"), Param.i32("C"), Param.i32("I"), Param.i32("p"));

    Unpatchify() {
        super(Unpatchify.class, "unpatchify", "unpatchify", PARAMS);
    }

    @Override
    public void checkShapes(Args a) {
        Patchify.checkPatchShapes(a);
    }

    @Override
    public Launch launch(Args a) {
        return Shapes.perElement(Patchify.elements(a));
    }

    @Override
    public Cost cost(Args a) {
        return Cost.memory(4 * Patchify.elements(a), 4 * Patchify.elements(a));
    }

    /**
     * The inverse of {@link Patchify} with the channels last in a patch, as DiT's unpatchify:
     * out[b, c, yy, xx] = x[b, token(yy / p, xx / p), ((yy % p) * p + xx % p) * C + c]; one work-item
     * per output element.
     */
    public static void unpatchify(KernelContext ctx, FloatArray x, FloatArray out, int B, int C, int I, int p) {
        int e = ctx.globalIdx;
        if (e >= B * C * I * I) {
            return;
        }
        int g = I / p;
        int xx = e % I, yy = e / I % I;
        int c = e / (I * I) % C, b = e / (I * I * C);
        int token = (b * g + yy / p) * g + xx / p;
        out.set(e, x.get((long) token * (p * p * C) + ((yy % p) * p + xx % p) * C + c));
    }
}
