package ditvm.jit;

import ditvm.api.Float16;
import ditvm.api.KernelContext;
import ditvm.api.KernelMath;
import ditvm.api.Parallel;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;

/** Small Java kernels the JIT tests compile: one construct or two each. */
public final class BasicKernels {
    private BasicKernels() {
    }

    /** y[i] = alpha * x[i] + y[i]. */
    public static void saxpy(FloatArray x, FloatArray y, float alpha, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            y.set(i, alpha * x.get(i) + y.get(i));
        }
    }

    /** out[i] = silu(in[i]) = in[i] / (1 + exp(-in[i])). */
    public static void silu(FloatArray in, FloatArray out) {
        for (@Parallel int i = 0; i < in.length(); i++) {
            float v = in.get(i);
            out.set(i, v / (1f + KernelMath.exp(-v)));
        }
    }

    /** c[r, j] = sum_k a[r, k] * b[k, j]: two @Parallel loops, a serial one inside. */
    public static void matmul(FloatArray a, FloatArray b, FloatArray c, int rows, int cols, int inner) {
        for (@Parallel int r = 0; r < rows; r++) {
            for (@Parallel int j = 0; j < cols; j++) {
                float acc = 0;
                for (int k = 0; k < inner; k++) {
                    acc += a.get((long) r * inner + k) * b.get((long) k * cols + j);
                }
                c.set((long) r * cols + j, acc);
            }
        }
    }

    /** Per work-group sums of x through local memory and barriers: sums[g] = sum of x[g*256 .. g*256+255]. */
    public static void groupSum(KernelContext ctx, FloatArray x, FloatArray sums, int n) {
        float[] part = ctx.allocateFloatLocalArray(256);
        int l = ctx.localIdx;
        int g = ctx.globalIdx;
        part[l] = g < n ? x.get(g) : 0f;
        ctx.localBarrier();
        for (int s = ctx.localGroupSizeX / 2; s > 0; s >>= 1) {
            if (l < s) {
                part[l] += part[l + s];
            }
            ctx.localBarrier();
        }
        if (l == 0) {
            sums.set(ctx.groupIdx, part[0]);
        }
    }

    /** Integer mix: wrapping arithmetic, shifts, division, ternaries, a switch, a helper. */
    public static void intMix(IntArray in, IntArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            int v = in.get(i);
            int w = v * 31 + (v >>> 3) - (v << 29) ^ (v >> 7);
            int q = i % 3 == 0 ? w / (v | 1) : w % ((v & 7) - 4 == 0 ? 3 : (v & 7) - 4);
            switch (i & 3) {
                case 0 -> q += 1;
                case 1 -> q -= Integer.MIN_VALUE;
                case 2 -> q = helper(q, v);
                default -> q = -q;
            }
            out.set(i, q);
        }
    }

    static int helper(int a, int b) {
        int r = 0;
        while (a != 0 && r < 40) {
            r += a & 1;
            a >>>= 1;
        }
        return r + Math.max(b, -b);
    }

    /** A CPU-shaped 16-wide loop with Float16: out = a * b + c over chunks, scalar tail. */
    public static void fma16(FloatArray a, FloatArray b, FloatArray c, FloatArray out, int n) {
        int i = 0;
        for (; i + 16 <= n; i += 16) {
            Float16 v = Float16.load(a, i).fma(Float16.load(b, i), Float16.load(c, i));
            v.store(out, i);
        }
        for (; i < n; i++) {
            out.set(i, Math.fma(a.get(i), b.get(i), c.get(i)));
        }
    }
}
