package ditvm.kernels;

import ditvm.api.Float16;
import ditvm.api.KernelContext;
import ditvm.api.KernelMath;
import ditvm.api.Parallel;
import ditvm.jit.JavaOp;
import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;
import java.util.List;

/**
 * Elementwise kernels over n elements, written in Java: SiLU, GELU (tanh form), copy with
 * arguments (in, out, n) and add with (a, b, c, n); outputs are separate arrays. Each has two
 * shapes: one work-item per element ({@code silu}, ...; GPUs), and for CPUs ({@link #cpu()})
 * one work-item (work-group of one) per {@value #CPU_CHUNK} elements in Float16 vectors with a
 * scalar tail ({@code siluCpu}, ...), where PoCL would keep a per-element exp / tanh scalar.
 *
 * <p>Versions (PoCL, 2 cores AVX-512, n = 2048 * 384; results/kernels-pocl.md and
 * results/java-kernels-pocl.md):
 *   v1  per-element C sources, work-groups of 256: silu 4.4 GB/s, gelu_tanh 2.3 GB/s, add 28 GB/s.
 *   v2  C, work-item per chunk, float16, GELU through exp (0.5 x (1 + tanh(u)) = x / (1 + exp(-2u))):
 *       silu 27 GB/s, gelu_tanh 17 GB/s, add 44 GB/s, copy 28 GB/s.
 *   v3  the same two shapes in Java through the JIT: add 0.88x, copy 0.94x the C on an AVX2 EPYC
 *       (results/java-vs-c-kernels.md), the CPU loops' int index wrapping as Java's does.
 *   v4  (this) the CPU loops index with a long, whose arithmetic cannot wrap at these sizes, so the
 *       C compiler counts the trips again: add and copy back at the C's time (same file).
 *   (no kernel change) PoCL's workers pinned to cores (ditvm.opencl.PoclThreadPinning): one kernel
 *       launched and waited for alone no longer runs on one core of two; Zen 4 EPYC, AVX-512:
 *       silu 18 -> 32 GB/s, gelu_tanh 15 -> 27 GB/s; same run against the C, both pinned: silu
 *       0.97x, gelu_tanh 0.99x, add and copy 0.88-1.11x from run to run (results/kernels-pocl.md,
 *       results/java-vs-c-kernels.md).
 */
public final class Elementwise extends JavaOp {
    /** Elements per work-item of the CPU shape. */
    static final int CPU_CHUNK = 4096;
    private static final float SQRT_2_OVER_PI = 0.7978845608028654f;
    private static final float TWO_SQRT_2_OVER_PI = 1.5957691216057308f;

    private final boolean add;
    private final boolean cpu;

    private Elementwise(String name, String method, boolean add, boolean cpu) {
        super(Elementwise.class, method, name, add
                ? List.of(Param.floats("a", a -> a.i(3)), Param.floats("b", a -> a.i(3)), Param.floats("c", a -> a.i(3)),
                        Param.i32("n"))
                : List.of(Param.floats("in", a -> a.i(2)), Param.floats("out", a -> a.i(2)), Param.i32("n")));
        this.add = add;
        this.cpu = cpu;
    }

    static Elementwise silu() {
        return new Elementwise("silu", "silu", false, false);
    }

    static Elementwise geluTanh() {
        return new Elementwise("gelu_tanh", "geluTanh", false, false);
    }

    static Elementwise add() {
        return new Elementwise("add", "add", true, false);
    }

    static Elementwise copy() {
        return new Elementwise("copy", "copy", false, false);
    }

    /** The same operation in the CPU shape. */
    Elementwise cpu() {
        String method = switch (name()) {
            case "silu" -> "siluCpu";
            case "gelu_tanh" -> "geluTanhCpu";
            case "add" -> "addCpu";
            default -> "copyCpu";
        };
        return new Elementwise(name() + "_cpu", method, add, true);
    }

    // ---------------------------------------------------------------- kernels: a work-item per element

    /** out[i] = in[i] / (1 + exp(-in[i])). */
    public static void silu(FloatArray in, FloatArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            out.set(i, silu(in.get(i)));
        }
    }

    /** out[i] = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), x = in[i]. */
    public static void geluTanh(FloatArray in, FloatArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            out.set(i, geluTanh(in.get(i)));
        }
    }

    /** c[i] = a[i] + b[i]. */
    public static void add(FloatArray a, FloatArray b, FloatArray c, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            c.set(i, a.get(i) + b.get(i));
        }
    }

    /** out[i] = in[i]: the copy bandwidth the memory-bound kernels are judged by. */
    public static void copy(FloatArray in, FloatArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            out.set(i, in.get(i));
        }
    }

    /** SiLU: x * sigmoid(x). */
    public static float silu(float x) {
        return x / (1f + KernelMath.exp(-x));
    }

    /** GELU, tanh approximation. */
    public static float geluTanh(float x) {
        return 0.5f * x * (1f + KernelMath.tanh(SQRT_2_OVER_PI * (x + 0.044715f * x * x * x)));
    }

    // ---------------------------------------------------------------- kernels: CPU shape, Float16 over chunks

    public static void siluCpu(KernelContext ctx, FloatArray in, FloatArray out, int n) {
        long i = (long) ctx.globalIdx * CPU_CHUNK; // long: int index arithmetic wraps in Java, which hides the trip count from the C compiler
        long end = Math.min(i + CPU_CHUNK, n);
        Float16 one = Float16.broadcast(1f);
        Float16 zero = Float16.broadcast(0f);
        for (; i + 16 <= end; i += 16) {
            Float16 x = Float16.load(in, i);
            x.div(one.add(Float16.exp(zero.sub(x)))).store(out, i);
        }
        for (; i < end; i++) {
            out.set(i, silu(in.get(i)));
        }
    }

    /** GELU as x / (1 + exp(-2 sqrt(2/pi) (x + 0.044715 x^3))): one exp, no tanh (an exact identity). */
    public static void geluTanhCpu(KernelContext ctx, FloatArray in, FloatArray out, int n) {
        long i = (long) ctx.globalIdx * CPU_CHUNK; // long: int index arithmetic wraps in Java, which hides the trip count from the C compiler
        long end = Math.min(i + CPU_CHUNK, n);
        for (; i + 16 <= end; i += 16) {
            geluTanh16(Float16.load(in, i)).store(out, i);
        }
        for (; i < end; i++) {
            float x = in.get(i);
            out.set(i, x / (1f + KernelMath.exp(-TWO_SQRT_2_OVER_PI * KernelMath.fma(0.044715f * x, x * x, x))));
        }
    }

    /** GELU of 16 lanes as x / (1 + exp(-2 sqrt(2/pi) (x + 0.044715 x^3))). */
    static Float16 geluTanh16(Float16 x) {
        Float16 u = Float16.broadcast(0.044715f).mul(x).fma(x.mul(x), x);
        return x.div(Float16.broadcast(1f).add(Float16.exp(Float16.broadcast(-TWO_SQRT_2_OVER_PI).mul(u))));
    }

    public static void addCpu(KernelContext ctx, FloatArray a, FloatArray b, FloatArray c, int n) {
        long i = (long) ctx.globalIdx * CPU_CHUNK; // long: int index arithmetic wraps in Java, which hides the trip count from the C compiler
        long end = Math.min(i + CPU_CHUNK, n);
        for (; i + 16 <= end; i += 16) {
            Float16.load(a, i).add(Float16.load(b, i)).store(c, i);
        }
        for (; i < end; i++) {
            c.set(i, a.get(i) + b.get(i));
        }
    }

    public static void copyCpu(KernelContext ctx, FloatArray in, FloatArray out, int n) {
        long i = (long) ctx.globalIdx * CPU_CHUNK; // long: int index arithmetic wraps in Java, which hides the trip count from the C compiler
        long end = Math.min(i + CPU_CHUNK, n);
        for (; i + 16 <= end; i += 16) {
            Float16.load(in, i).store(out, i);
        }
        for (; i < end; i++) {
            out.set(i, in.get(i));
        }
    }

    // ---------------------------------------------------------------- descriptor

    private int n(Args a) {
        return a.i(add ? 3 : 2);
    }

    @Override
    public void checkShapes(Args a) {
        Shapes.positive("n", n(a));
    }

    @Override
    public Launch launch(Args a) {
        if (cpu) {
            return new Launch(new long[] {Launch.ceilDiv(n(a), CPU_CHUNK)}, new long[] {1});
        }
        return Shapes.perElement(n(a));
    }

    @Override
    public Cost cost(Args a) {
        long n = n(a);
        return Cost.memory((add ? 8 : 4) * n, 4 * n);
    }
}
