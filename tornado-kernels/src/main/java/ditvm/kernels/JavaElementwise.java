package ditvm.kernels;

import ditvm.api.Float16;
import ditvm.api.KernelContext;
import ditvm.api.KernelMath;
import ditvm.api.Parallel;
import ditvm.memory.FloatArray;

/**
 * Elementwise kernels written in Java, in the two shapes of the C sources they are measured
 * against (results/java-kernels-pocl.md): one work-item per element (axpy.cl, silu.cl) and,
 * for CPUs, one work-item per chunk of {@link #CHUNK} elements in Float16 vectors
 * (elementwise_cpu.cl).
 */
public final class JavaElementwise {
    /** Elements per work-item of the chunked kernels (EW_CHUNK of elementwise_cpu.cl). */
    public static final int CHUNK = 4096;

    private JavaElementwise() {
    }

    /** y[i] = alpha * x[i] + y[i], i < n. */
    public static void saxpy(FloatArray x, FloatArray y, float alpha, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            y.set(i, alpha * x.get(i) + y.get(i));
        }
    }

    /** out[i] = in[i] / (1 + exp(-in[i])), i < n. */
    public static void silu(FloatArray in, FloatArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            float v = in.get(i);
            out.set(i, v / (1f + KernelMath.exp(-v)));
        }
    }

    /** SiLU over chunk globalIdx of {@link #CHUNK} elements: 16 at a time, then a scalar tail. One work-item per group. */
    public static void siluChunks(KernelContext ctx, FloatArray in, FloatArray out, int n) {
        int i = ctx.globalIdx * CHUNK;
        int end = Math.min(i + CHUNK, n);
        Float16 one = Float16.broadcast(1f);
        for (; i + 16 <= end; i += 16) {
            Float16 v = Float16.load(in, i);
            v.div(one.add(Float16.exp(Float16.broadcast(0f).sub(v)))).store(out, i);
        }
        for (; i < end; i++) {
            float v = in.get(i);
            out.set(i, v / (1f + KernelMath.exp(-v)));
        }
    }
}
