package ditvm.kernels;

import ditvm.api.Float16;
import ditvm.api.KernelContext;
import ditvm.memory.FloatArray;

/**
 * out[M, N] = A[M, K] * W[N, K]^T + bias[N] for CPUs, written in Java in the shape of
 * gemm_cpu.cl (and measured against it: results/java-kernels-pocl.md). W arrives packed
 * (GemmWeights.pack): panels of 32 output columns, K-major, Wp[p][k][j] = W[32p + j][k].
 *
 * <p>Launch: work-groups of one, global (panels, ceil(M / 6)). Each work-item computes a
 * 6 x 32 tile of out in twelve Float16 accumulators: per k two Float16 loads of the panel,
 * six broadcast A values, twelve FMAs. Work-items are walked in groups of panels whose weights
 * fit in L2 (about {@link #GROUP_BYTES}), row tiles inside a group, as gemm_cpu.cl v3 does.
 */
public final class JavaGemm {
    static final int MR = 6;
    static final int NR = 32;
    /** Weights of a panel group, kept in L2 (2 MiB per core on this project's machines). */
    static final int GROUP_BYTES = 1 << 20;

    private JavaGemm() {
    }

    public static void gemmCpu(KernelContext ctx, FloatArray a, FloatArray wp, FloatArray bias, FloatArray out,
                               int m, int n, int k) {
        int panels = ctx.globalGroupSizeX;
        int tiles = ctx.globalGroupSizeY;
        int panelGroup = Math.min(Math.max(GROUP_BYTES / (k * NR * 4), 1), panels);
        int id = ctx.globalIdx + ctx.globalIdy * panels;
        int full = panels / panelGroup;
        int inFull = full * panelGroup * tiles;
        int group = id < inFull ? id / (panelGroup * tiles) : full;
        int rem = id < inFull ? id % (panelGroup * tiles) : id - inFull;
        int width = id < inFull ? panelGroup : panels - full * panelGroup;
        int panel = group * panelGroup + rem % width;
        int m0 = (rem / width) * MR;
        long w = (long) panel * k * NR;
        long a0 = (long) Math.min(m0, m - 1) * k;
        long a1 = (long) Math.min(m0 + 1, m - 1) * k;
        long a2 = (long) Math.min(m0 + 2, m - 1) * k;
        long a3 = (long) Math.min(m0 + 3, m - 1) * k;
        long a4 = (long) Math.min(m0 + 4, m - 1) * k;
        long a5 = (long) Math.min(m0 + 5, m - 1) * k;
        Float16 c00 = Float16.broadcast(0f), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        Float16 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int kk = 0; kk < k; kk++) {
            long wk = w + (long) kk * NR;
            Float16 w0 = Float16.load(wp, wk);
            Float16 w1 = Float16.load(wp, wk + 16);
            Float16 x = Float16.broadcast(a.get(a0 + kk));
            c00 = x.fma(w0, c00);
            c01 = x.fma(w1, c01);
            x = Float16.broadcast(a.get(a1 + kk));
            c10 = x.fma(w0, c10);
            c11 = x.fma(w1, c11);
            x = Float16.broadcast(a.get(a2 + kk));
            c20 = x.fma(w0, c20);
            c21 = x.fma(w1, c21);
            x = Float16.broadcast(a.get(a3 + kk));
            c30 = x.fma(w0, c30);
            c31 = x.fma(w1, c31);
            x = Float16.broadcast(a.get(a4 + kk));
            c40 = x.fma(w0, c40);
            c41 = x.fma(w1, c41);
            x = Float16.broadcast(a.get(a5 + kk));
            c50 = x.fma(w0, c50);
            c51 = x.fma(w1, c51);
        }
        int n0 = panel * NR;
        storeRow(out, bias, m0, n0, m, n, c00, c01);
        storeRow(out, bias, m0 + 1, n0, m, n, c10, c11);
        storeRow(out, bias, m0 + 2, n0, m, n, c20, c21);
        storeRow(out, bias, m0 + 3, n0, m, n, c30, c31);
        storeRow(out, bias, m0 + 4, n0, m, n, c40, c41);
        storeRow(out, bias, m0 + 5, n0, m, n, c50, c51);
    }

    /** out[row, n0 .. n0 + 32) = (left, right) + bias, rows past M and columns past N left alone. */
    private static void storeRow(FloatArray out, FloatArray bias, int row, int n0, int m, int n, Float16 left, Float16 right) {
        if (row < m) {
            storeHalf(out, bias, row, n0, n, left);
            storeHalf(out, bias, row, n0 + 16, n, right);
        }
    }

    private static void storeHalf(FloatArray out, FloatArray bias, int row, int col, int n, Float16 v) {
        long o = (long) row * n + col;
        if (col + 16 <= n) {
            v.add(Float16.load(bias, col)).store(out, o);
        } else {
            for (int j = 0; j < n - col; j++) {
                out.set(o + j, v.get(j) + bias.get(col + j));
            }
        }
    }
}
