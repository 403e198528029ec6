package ditvm.kernels;

import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;

/**
 * Class-label embedding (label_gather.cl): {@code y [B] int, table [classes + 1, D] -> out [B, D]},
 * {@code out[b] = table[y[b]]}; row {@code classes} is the null class of classifier-free guidance.
 * Labels must be in 0..classes: the device kernel writes a zero row for any other label, the
 * Java reference throws. Arguments: y, table, out, B, classes, D.
 */
public final class LabelGather extends SourceKernel {
    LabelGather() {
        super("label_gather", "label_gather.cl",
                Param.ints("y", a -> a.i(3)), Param.floats("table", a -> ((long) a.i(4) + 1) * a.i(5)),
                Param.floats("out", a -> (long) a.i(3) * a.i(5)),
                Param.i32("B"), Param.i32("classes"), Param.i32("D"));
    }

    @Override
    public void checkShapes(Args a) {
        positive("B", a.i(3), "D", a.i(5));
        intRange("table", ((long) a.i(4) + 1) * a.i(5));
    }

    @Override
    public Launch launch(Args a) {
        return perElement((long) a.i(3) * a.i(5));
    }

    @Override
    public Cost cost(Args a) {
        long n = (long) a.i(3) * a.i(5);
        return Cost.memory(4L * a.i(3) + 4 * n, 4 * n);
    }

    @Override
    public long parallelism(Args a) {
        return a.i(3);
    }

    @Override
    public void reference(Args a, long from, long to) {
        IntArray y = a.ints(0);
        FloatArray table = a.floats(1), out = a.floats(2);
        int classes = a.i(4), d = a.i(5);
        for (long b = from; b < to; b++) {
            int label = y.get(b);
            if (label < 0 || label > classes) {
                throw new IllegalArgumentException("label y[" + b + "] = " + label + " is outside 0.." + classes
                        + " (" + classes + " = the null class)");
            }
            for (int i = 0; i < d; i++) {
                out.set(b * d + i, table.get((long) label * d + i));
            }
        }
    }
}
