package ditvm.kernels;

import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;

/**
 * Latents to patch vectors (patchify.cl): {@code x [B, C, I, I] -> out [B*T, C*p*p]}, T = (I/p)^2,
 * token = row * (I/p) + col, per-token vector ordered [c][pr][pc], so the patch embedding is this
 * followed by a GEMM with the conv weight [D, C, p, p] viewed [D, C*p*p].
 * Arguments: x, out, B, C, I, p.
 */
public final class Patchify extends SourceKernel {
    Patchify() {
        super("patchify", "patchify.cl",
                Param.floats("x", Patchify::elements), Param.floats("out", Patchify::elements),
                Param.i32("B"), Param.i32("C"), Param.i32("I"), Param.i32("p"));
    }

    static long elements(Args a) {
        return (long) a.i(2) * a.i(3) * a.i(4) * a.i(4);
    }

    /** Shared with {@link Unpatchify}: arguments 2..5 are B, C, I, p. */
    static void checkPatchShapes(Args a) {
        positive("B", a.i(2), "C", a.i(3), "I", a.i(4), "p", a.i(5));
        require(a.i(4) % a.i(5) == 0, "image size I = " + a.i(4) + " is not divisible by the patch size p = " + a.i(5));
        intRange("x", elements(a));
    }

    @Override
    public void checkShapes(Args a) {
        checkPatchShapes(a);
    }

    @Override
    public Launch launch(Args a) {
        return perElement(elements(a));
    }

    @Override
    public Cost cost(Args a) {
        return Cost.memory(4 * elements(a), 4 * elements(a));
    }

    /** Units are tokens b * T + row * (I/p) + col. */
    @Override
    public long parallelism(Args a) {
        long g = a.i(4) / a.i(5);
        return a.i(2) * g * g;
    }

    @Override
    public void reference(Args a, long from, long to) {
        FloatArray x = a.floats(0), out = a.floats(1);
        int c = a.i(3), img = a.i(4), p = a.i(5), g = img / p;
        long t = (long) g * g;
        for (long token = from; token < to; token++) {
            long b = token / t;
            int row = (int) (token % t / g), col = (int) (token % g);
            long o = token * c * p * p;
            for (int ch = 0; ch < c; ch++) {
                for (int pr = 0; pr < p; pr++) {
                    for (int pc = 0; pc < p; pc++) {
                        out.set(o++, x.get(((b * c + ch) * img + row * p + pr) * img + col * p + pc));
                    }
                }
            }
        }
    }
}
