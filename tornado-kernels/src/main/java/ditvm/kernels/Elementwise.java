package ditvm.kernels;

import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;

/**
 * Elementwise kernels over n elements: {@link #silu()}, {@link #geluTanh()}, {@link #copy()} with
 * arguments (in, out, n), and {@link #add()} with (a, b, c, n). Outputs are separate arrays.
 * Each has a portable source (one work-item per element) and a {@link #cpu()} one.
 */
public final class Elementwise extends SourceKernel {
    private enum Op { SILU, GELU_TANH, ADD, COPY }

    /** Elements per work-item of the CPU sources; EW_CHUNK in elementwise_cpu.cl. */
    static final int CPU_CHUNK = 4096;

    private final Op op;
    private final boolean cpu;

    private Elementwise(Op op, String name, Param... params) {
        this(op, name, name + ".cl", false, params);
    }

    private Elementwise(Op op, String name, String file, boolean cpu, Param... params) {
        super(name, file, params);
        this.op = op;
        this.cpu = cpu;
    }

    /**
     * The same operation from elementwise_cpu.cl (OpenCL only): a work-item (work-group of one)
     * per {@value #CPU_CHUNK} elements in float16 vectors, for CPU devices, where PoCL keeps the
     * per-element sources' exp / tanh scalar.
     */
    Elementwise cpu() {
        return new Elementwise(op, name() + "_cpu", "elementwise_cpu.cl", true, params().toArray(Param[]::new));
    }

    /** out[i] = in[i] / (1 + exp(-in[i])). Arguments: in, out, n. */
    static Elementwise silu() {
        return new Elementwise(Op.SILU, "silu", Param.floats("in", a -> a.i(2)), Param.floats("out", a -> a.i(2)),
                Param.i32("n"));
    }

    /** out[i] = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), x = in[i]. Arguments: in, out, n. */
    static Elementwise geluTanh() {
        return new Elementwise(Op.GELU_TANH, "gelu_tanh", Param.floats("in", a -> a.i(2)),
                Param.floats("out", a -> a.i(2)), Param.i32("n"));
    }

    /** c[i] = a[i] + b[i]. Arguments: a, b, c, n. */
    static Elementwise add() {
        return new Elementwise(Op.ADD, "add", Param.floats("a", a -> a.i(3)), Param.floats("b", a -> a.i(3)),
                Param.floats("c", a -> a.i(3)), Param.i32("n"));
    }

    /** out[i] = in[i]: the copy-bandwidth reference of the memory-bound kernels. Arguments: in, out, n. */
    static Elementwise copy() {
        return new Elementwise(Op.COPY, "copy", Param.floats("in", a -> a.i(2)), Param.floats("out", a -> a.i(2)),
                Param.i32("n"));
    }

    private int n(Args a) {
        return a.i(op == Op.ADD ? 3 : 2);
    }

    @Override
    public void checkShapes(Args a) {
        positive("n", n(a));
    }

    @Override
    public Launch launch(Args a) {
        if (cpu) {
            return new Launch(new long[] {Launch.ceilDiv(n(a), CPU_CHUNK)}, new long[] {1});
        }
        return perElement(n(a));
    }

    @Override
    public Cost cost(Args a) {
        long n = n(a);
        return Cost.memory((op == Op.ADD ? 8 : 4) * n, 4 * n);
    }

    @Override
    public long parallelism(Args a) {
        return n(a);
    }

    @Override
    public void reference(Args a, long from, long to) {
        switch (op) {
            case SILU -> {
                FloatArray in = a.floats(0), out = a.floats(1);
                for (long i = from; i < to; i++) {
                    out.set(i, Activations.silu(in.get(i)));
                }
            }
            case GELU_TANH -> {
                FloatArray in = a.floats(0), out = a.floats(1);
                for (long i = from; i < to; i++) {
                    out.set(i, Activations.geluTanh(in.get(i)));
                }
            }
            case COPY -> {
                FloatArray in = a.floats(0), out = a.floats(1);
                for (long i = from; i < to; i++) {
                    out.set(i, in.get(i));
                }
            }
            case ADD -> {
                FloatArray x = a.floats(0), y = a.floats(1), c = a.floats(2);
                for (long i = from; i < to; i++) {
                    c.set(i, x.get(i) + y.get(i));
                }
            }
        }
    }
}
