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
 * Class-label embedding: {@code y [B] int, table [classes + 1, D] -> out [B, D]},
 * {@code out[b] = table[y[b]]}; row {@code classes} is the null class of classifier-free guidance.
 * Labels must be in 0..classes (DiTForward checks them on the host): the kernel writes a zero row
 * for any other label, on every device. Arguments: y, table, out, B, classes, D.
 */
public final class LabelGather extends JavaOp {
    private static final List<Param> PARAMS = List.of(
            Param.ints("y", a -> a.i(3)), Param.floats("table", a -> ((long) a.i(4) + 1) * a.i(5)),
            Param.floats("out", a -> (long) a.i(3) * a.i(5)),
            Param.i32("B"), Param.i32("classes"), Param.i32("D"));

    LabelGather() {
        super(LabelGather.class, "labelGather", "label_gather", PARAMS);
    }

    @Override
    public void checkShapes(Args a) {
        Shapes.positive("B", a.i(3), "D", a.i(5));
        Shapes.intRange("table", ((long) a.i(4) + 1) * a.i(5));
    }

    @Override
    public Launch launch(Args a) {
        return Shapes.perElement((long) a.i(3) * a.i(5));
    }

    @Override
    public Cost cost(Args a) {
        long n = (long) a.i(3) * a.i(5);
        return Cost.memory(4L * a.i(3) + 4 * n, 4 * n);
    }

    /**
     * out[b, :] = table[y[b], :], y[b] in 0..classes (classes: the null class of guidance); a label
     * outside gives zeros (the model's inputs are checked on the host before). One work-item per element.
     */
    public static void labelGather(KernelContext ctx, IntArray y, FloatArray table, FloatArray out, int B, int classes, int D) {
        int e = ctx.globalIdx;
        if (e >= B * D) {
            return;
        }
        int label = y.get(e / D);
        out.set(e, label >= 0 && label <= classes ? table.get((long) label * D + e % D) : 0f);
    }
}
