package ditvm.kernels;

import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;

/**
 * Patch vectors back to images (unpatchify.cl): {@code x [B*T, p*p*C] -> out [B, C, I, I]},
 * T = (I/p)^2, per-token vector ordered [pr][pc][c] (channel fastest), token = row * (I/p) + col.
 * Arguments: x, out, B, C, I, p.
 */
public final class Unpatchify extends SourceKernel {
    Unpatchify() {
        super("unpatchify", "unpatchify.cl",
                Param.floats("x", Patchify::elements), Param.floats("out", Patchify::elements),
                Param.i32("B"), Param.i32("C"), Param.i32("I"), Param.i32("p"));
    }

    @Override
    public void checkShapes(Args a) {
        Patchify.checkPatchShapes(a);
    }

    @Override
    public Launch launch(Args a) {
        return perElement(Patchify.elements(a));
    }

    @Override
    public Cost cost(Args a) {
        return Cost.memory(4 * Patchify.elements(a), 4 * Patchify.elements(a));
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
            long i = token * p * p * c;
            for (int pr = 0; pr < p; pr++) {
                for (int pc = 0; pc < p; pc++) {
                    for (int ch = 0; ch < c; ch++) {
                        out.set(((b * c + ch) * img + row * p + pr) * img + col * p + pc, x.get(i++));
                    }
                }
            }
        }
    }
}
