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
 * Latents to patch vectors: {@code x [B, C, I, I] -> out [B*T, C*p*p]}, T = (I/p)^2,
 * token = row * (I/p) + col, per-token vector ordered [c][pr][pc], so the patch embedding is this
 * followed by a GEMM with the conv weight [D, C, p, p] viewed [D, C*p*p].
 * Arguments: x, out, B, C, I, p.
 */
public final class Patchify extends JavaOp {
    private static final List<Param> PARAMS = List.of(
            Param.floats("x", Patchify::elements), Param.floats("out", Patchify::elements),
            Param.i32("B"), Param.i32("C"), Param.i32("I"), Param.i32("p"));

    Patchify() {
        super(Patchify.class, "patchify", "patchify", PARAMS);
    }

    static long elements(Args a) {
        return (long) a.i(2) * a.i(3) * a.i(4) * a.i(4);
    }

    /** Shared with {@link Unpatchify}: arguments 2..5 are B, C, I, p. */
    static void checkPatchShapes(Args a) {
        Shapes.positive("B", a.i(2), "C", a.i(3), "I", a.i(4), "p", a.i(5));
        Shapes.require(a.i(4) % a.i(5) == 0, "image size I = " + a.i(4) + " is not divisible by the patch size p = " + a.i(5));
        Shapes.intRange("x", elements(a));
    }

    @Override
    public void checkShapes(Args a) {
        checkPatchShapes(a);
    }

    @Override
    public Launch launch(Args a) {
        return Shapes.perElement(elements(a));
    }

    @Override
    public Cost cost(Args a) {
        return Cost.memory(4 * elements(a), 4 * elements(a));
    }

    /**
     * out[b, row * G + col, (c * p + pr) * p + pc] = x[b, c, row * p + pr, col * p + pc]: the
     * image [B, C, I, I] cut into G x G patches (G = I / p), each flattened channel-major, one
     * work-item per output element.
     */
    public static void patchify(KernelContext ctx, FloatArray x, FloatArray out, int B, int C, int I, int p) {
        int e = ctx.globalIdx;
        int g = I / p;
        int patch = C * p * p;
        if (e >= B * g * g * patch) {
            return;
        }
        int v = e % patch;
        int token = e / patch; // b * T + row * G + col
        int c = v / (p * p), pr = v / p % p, pc = v % p;
        int b = token / (g * g), row = token / g % g, col = token % g;
        out.set(e, x.get((((long) b * C + c) * I + row * p + pr) * I + col * p + pc));
    }
}
