package ditvm.kernels;

import ditvm.api.Float16;
import ditvm.api.KernelContext;
import ditvm.memory.FloatArray;

/**
 * The GEMM kernels, in Java: {@code out[M, N] = epilogue(A[M, K] * W[N, K]^T + bias[N])}, W packed
 * by {@link GemmWeights} (panels of 32 output columns, K-major: Wp[p][k][j] = W[32p + j][k],
 * zero-padded past N). Three shapes of one contract ({@link Gemm} describes them):
 * <ul>
 *   <li>{@code cpu}: CPUs with 16-float vector units (AVX-512, 32 registers). A work-item
 *       (work-group of one) computes a 12 x 32 tile in 24 Float16 accumulators: per k two
 *       Float16 loads of the panel, twelve broadcast A values, 24 FMAs.</li>
 *   <li>{@code cpuPacked}: CPUs with 8-float vector units (AVX2, 16 registers). A 32-column tile's
 *       accumulators (two registers per row there) spill; a 6 x 16 tile (half a panel) keeps its six
 *       Float16 accumulators (12 registers) and the panel row in registers, reading A packed in
 *       6-row panels by {@link PackRows} (one stream instead of six rows).</li>
 *   <li>{@code tiled}: GPUs and any other target. A 16 x 16 work-group computes a 64 x 64 tile,
 *       each work-item a 4 x 4 block strided by 16, staging 64 x 16 slices of A and W in local
 *       memory per step of 16 along K.</li>
 * </ul>
 * Each has a gated twin ({@code cpuGated}, ...) with the gate's parameters; the others take the
 * epilogue as a fixed constant (the descriptor compiles one program per epilogue), so the
 * branches on it fold away. Rows past M are clamped on load and skipped on store; columns past N
 * come from the zero padding and are skipped on store.
 *
 * <p>Versions (GFLOP/s at 2048 x 1152 x 384 / 2048 x 384 x 1536 on PoCL, 2 cores):
 * <ul>
 *   <li>v1 local-memory tiles over row-major W (today's tiled shape) on a CPU: ~12 / ~12 (Xeon, AVX-512).</li>
 *   <li>v2 6 x 32 register tile over the packed panels, work-group of one, panels in dimension 0:
 *       ~260 / ~145-215 (Xeon).</li>
 *   <li>v3 the same tile, work-items walked in groups of panels whose weights stay in L2 (about
 *       {@link #GROUP_BYTES}), row tiles inside a group: ~298 / ~311 (Xeon; 0.97-1.03x OpenBLAS,
 *       results/gemm-pocl.md), ~64-75 on an AVX2 AMD EPYC (0.5-0.65x OpenBLAS).</li>
 *   <li>v4 the hand-written C of v3 rewritten in Java (results/java-kernels-pocl.md: 0.96-1.04x
 *       the C), and the 6 x 16 tile for 8-float vector units: 1.4-1.65x v3 on the AVX2 EPYC
 *       (results/java-vs-c-kernels.md).</li>
 *   <li>v5 {@code cpuPacked}: the 6 x 16 tile reading A packed in 6-row panels by {@link PackRows}
 *       (one stream instead of six): 1.44-1.64x v3 and 0.83-1.00x OpenBLAS with the packing pass
 *       included, on the AVX2 EPYC (same file).</li>
 *   <li>v6 on a 2-core AVX-512 EPYC (Zen 5): the JIT's row pointers (ditvm.jit.Translator#rowAndColumn)
 *       took the 6 x 32 tile from 0.83-0.97x to 0.98-1.01x the hand-written C of v3 (same process,
 *       alternated; results/java-vs-c-623b1b2-rowptr/); {@code cpu} then grew to 8 x 32: 1.03-1.15x
 *       the 6 x 32 tile (medians of 7 interleaved rounds, results/java-vs-c-kernels.md). A 6 x 32
 *       tile packed like {@code cpuPacked} bought nothing there.</li>
 *   <li>v7 on a 2-core Xeon with AVX-512 (two FMA ports): {@code cpu} grew to 12 x 32 (24 accumulators, 27 of
 *       the 32 registers), 12 broadcasts and two panel loads per 24 FMAs instead of 8 and two per 16. Medians of
 *       4 interleaved runs against 8 x 32: 1.03x at 256 x 4608 x 1152 and at 2048 x 1152 x 384, 1.04x at
 *       2048 x 384 x 1536, 0.95x at 256 x 1152 x 4608. The ablation against 8 x 32 (scripts/compare-builds.sh,
 *       interleaved, every variant): DiT-S/2 256 b8 1.02-1.07x, S/2 512 b4 1.05-1.08x, XL/2 256 b1 1.00-1.01x
 *       (results/peers-pocl.md). Not measured on the AMD machines of v2-v6.</li>
 *   <li>tried, not kept (same Xeon): a 4 x 32 tile for M <= 4 (adaLN's modulation at batch 1, where the 12-row
 *       tile runs its FMAs on 11 copies of the row; e24b647, reverted): alone at 1 x 6912 x 1152 0.67-0.91 ms
 *       against 0.91-1.02, in DiT-XL/2 b1 the modulation GEMMs 42-44 against 44-46 ms per pass (weights from
 *       memory, 17 GB/s), the ablation against 12 x 32 0.998x for adaLN-Zero (compare-builds, 3 rounds).</li>
 *   <li>tried, not kept: a prefetch hint of the next panel group's weights (a Float16.prefetch through
 *       __builtin_prefetch; PoCL's OpenCL prefetch() is empty): 0.90-0.97x in DiT-XL/2 b1; panel groups of 256 or
 *       512 KiB: 1.02-1.04x at XL/2, 0.93-0.98x at the S/2 shapes; two row tiles per work-item: no change.</li>
 * </ul>
 */
public final class GemmKernels {
    /** Rows of the 8-float CPU tile (6 x 16) and of the panels {@link PackRows} writes. */
    static final int MR = 6;
    /** Rows of the 16-float CPU tile (12 x 32: 24 Float16 accumulators of AVX-512's 32 registers). */
    static final int WIDE_ROWS = 12;
    /** Columns of a packed panel. */
    static final int NR = 32;
    /** Weights of a group of panels, kept in L2 (1-2 MiB per core on this project's machines). */
    static final int GROUP_BYTES = 1 << 20;
    /** The tiled shape: a work-group's tile of out (TM x TN) and its step along K. */
    static final int TM = 64;
    static final int TN = 64;
    static final int TK = 16;

    static final int NONE = 0;
    static final int GELU = 1;
    static final int RESIDUAL = 2;
    static final int GATED_RESIDUAL = 3;

    private GemmKernels() {
    }

    // ---------------------------------------------------------------- CPU, 12 x 32 tiles

    /** Launch: work-groups of one, global (panels, ceil(M / 12)); {@code epilogue} fixed (0..2). */
    public static void cpu(KernelContext ctx, FloatArray a, FloatArray wp, FloatArray bias, FloatArray out,
                           int m, int n, int k, int epilogue) {
        cpuTile(ctx, a, wp, bias, out, m, n, k, epilogue, bias, 0, 0, 1);
    }

    /** {@link #cpu} with out += gate[m / rowsPerSample][gateOffset + n] * (acc + bias). */
    public static void cpuGated(KernelContext ctx, FloatArray a, FloatArray wp, FloatArray bias, FloatArray out,
                                int m, int n, int k, FloatArray gate, int gateStride, int gateOffset, int rowsPerSample) {
        cpuTile(ctx, a, wp, bias, out, m, n, k, GATED_RESIDUAL, gate, gateStride, gateOffset, rowsPerSample);
    }

    /** The 12 x 32 tile: rows m0 .. m0+11 (clamped to M - 1 on load), columns of one panel. */
    static void cpuTile(KernelContext ctx, FloatArray a, FloatArray wp, FloatArray bias, FloatArray out, int m, int n, int k,
                        int epilogue, FloatArray gate, int gateStride, int gateOffset, int rowsPerSample) {
        int panels = ctx.globalGroupSizeX;
        int tiles = ctx.globalGroupSizeY;
        int group = Math.min(Math.max(GROUP_BYTES / (k * NR * 4), 1), panels);
        int id = ctx.globalIdx + ctx.globalIdy * panels;
        int panel = strip(id, panels, tiles, group);
        int m0 = rowTile(id, panels, tiles, group) * WIDE_ROWS;
        long w = (long) panel * k * NR;
        long a0 = (long) Math.min(m0, m - 1) * k;
        long a1 = (long) Math.min(m0 + 1, m - 1) * k;
        long a2 = (long) Math.min(m0 + 2, m - 1) * k;
        long a3 = (long) Math.min(m0 + 3, m - 1) * k;
        long a4 = (long) Math.min(m0 + 4, m - 1) * k;
        long a5 = (long) Math.min(m0 + 5, m - 1) * k;
        long a6 = (long) Math.min(m0 + 6, m - 1) * k;
        long a7 = (long) Math.min(m0 + 7, m - 1) * k;
        long a8 = (long) Math.min(m0 + 8, m - 1) * k;
        long a9 = (long) Math.min(m0 + 9, m - 1) * k;
        long a10 = (long) Math.min(m0 + 10, m - 1) * k;
        long a11 = (long) Math.min(m0 + 11, m - 1) * k;
        Float16 c00 = Float16.broadcast(0f), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        Float16 c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        Float16 c80 = c00, c81 = c00, c90 = c00, c91 = c00, c100 = c00, c101 = c00, c110 = c00, c111 = c00;
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
            x = Float16.broadcast(a.get(a6 + kk));
            c60 = x.fma(w0, c60);
            c61 = x.fma(w1, c61);
            x = Float16.broadcast(a.get(a7 + kk));
            c70 = x.fma(w0, c70);
            c71 = x.fma(w1, c71);
            x = Float16.broadcast(a.get(a8 + kk));
            c80 = x.fma(w0, c80);
            c81 = x.fma(w1, c81);
            x = Float16.broadcast(a.get(a9 + kk));
            c90 = x.fma(w0, c90);
            c91 = x.fma(w1, c91);
            x = Float16.broadcast(a.get(a10 + kk));
            c100 = x.fma(w0, c100);
            c101 = x.fma(w1, c101);
            x = Float16.broadcast(a.get(a11 + kk));
            c110 = x.fma(w0, c110);
            c111 = x.fma(w1, c111);
        }
        int n0 = panel * NR;
        store16(out, bias, m0, n0, m, n, c00, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0, n0 + 16, m, n, c01, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 1, n0, m, n, c10, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 1, n0 + 16, m, n, c11, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 2, n0, m, n, c20, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 2, n0 + 16, m, n, c21, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 3, n0, m, n, c30, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 3, n0 + 16, m, n, c31, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 4, n0, m, n, c40, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 4, n0 + 16, m, n, c41, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 5, n0, m, n, c50, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 5, n0 + 16, m, n, c51, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 6, n0, m, n, c60, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 6, n0 + 16, m, n, c61, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 7, n0, m, n, c70, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 7, n0 + 16, m, n, c71, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 8, n0, m, n, c80, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 8, n0 + 16, m, n, c81, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 9, n0, m, n, c90, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 9, n0 + 16, m, n, c91, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 10, n0, m, n, c100, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 10, n0 + 16, m, n, c101, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 11, n0, m, n, c110, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 11, n0 + 16, m, n, c111, epilogue, gate, gateStride, gateOffset, rowsPerSample);
    }

    // ---------------------------------------------------------------- CPU, 6 x 16 tiles on packed A

    /** Launch: work-groups of one, global (ceil(N / 16), ceil(M / 6)); ap[t][k][6] = A[6t + r][k] ({@link PackRows}); {@code epilogue} fixed (0..2). */
    public static void cpuPacked(KernelContext ctx, FloatArray ap, FloatArray wp, FloatArray bias, FloatArray out,
                                 int m, int n, int k, int epilogue) {
        cpuPackedTile(ctx, ap, wp, bias, out, m, n, k, epilogue, bias, 0, 0, 1);
    }

    /** {@link #cpuPacked} with out += gate[m / rowsPerSample][gateOffset + n] * (acc + bias). */
    public static void cpuPackedGated(KernelContext ctx, FloatArray ap, FloatArray wp, FloatArray bias, FloatArray out,
                                      int m, int n, int k, FloatArray gate, int gateStride, int gateOffset, int rowsPerSample) {
        cpuPackedTile(ctx, ap, wp, bias, out, m, n, k, GATED_RESIDUAL, gate, gateStride, gateOffset, rowsPerSample);
    }

    /**
     * The 6 x 16 tile: rows m0 .. m0+5, element (6t + r, k) of A at ap[6 t k + 6 k + r] (one stream:
     * 1.27-1.32x the six row streams of A itself on the AVX2 EPYC, results/java-vs-c-kernels.md),
     * columns of half a panel.
     */
    static void cpuPackedTile(KernelContext ctx, FloatArray ap, FloatArray wp, FloatArray bias, FloatArray out,
                              int m, int n, int k, int epilogue, FloatArray gate, int gateStride, int gateOffset,
                              int rowsPerSample) {
        int strips = ctx.globalGroupSizeX; // 16 columns each: half a panel
        int tiles = ctx.globalGroupSizeY;
        int group = Math.min(Math.max(GROUP_BYTES / (k * 16 * 4), 1), strips);
        int id = ctx.globalIdx + ctx.globalIdy * strips;
        int s = strip(id, strips, tiles, group);
        int m0 = rowTile(id, strips, tiles, group) * MR;
        long w = (long) (s / 2) * k * NR + (s % 2) * 16;
        long a0 = (long) m0 * k; // the panel of rows m0 .. m0+5
        Float16 c0 = Float16.broadcast(0f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        for (int kk = 0; kk < k; kk++) {
            Float16 wk = Float16.load(wp, w + (long) kk * NR);
            long ak = a0 + (long) kk * MR;
            c0 = Float16.broadcast(ap.get(ak)).fma(wk, c0);
            c1 = Float16.broadcast(ap.get(ak + 1)).fma(wk, c1);
            c2 = Float16.broadcast(ap.get(ak + 2)).fma(wk, c2);
            c3 = Float16.broadcast(ap.get(ak + 3)).fma(wk, c3);
            c4 = Float16.broadcast(ap.get(ak + 4)).fma(wk, c4);
            c5 = Float16.broadcast(ap.get(ak + 5)).fma(wk, c5);
        }
        int n0 = s * 16;
        store16(out, bias, m0, n0, m, n, c0, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 1, n0, m, n, c1, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 2, n0, m, n, c2, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 3, n0, m, n, c3, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 4, n0, m, n, c4, epilogue, gate, gateStride, gateOffset, rowsPerSample);
        store16(out, bias, m0 + 5, n0, m, n, c5, epilogue, gate, gateStride, gateOffset, rowsPerSample);
    }

    /**
     * The CPU walk over work-items: groups of {@code group} strips (their weights stay in L2), the
     * row tiles in the middle (a tile's A rows stay in L1 across the group), the strips of a group
     * innermost; the last group may be narrower. Work-item {@code id}'s strip.
     */
    static int strip(int id, int strips, int tiles, int group) {
        int full = strips / group;
        int inFull = full * group * tiles;
        int g = id < inFull ? id / (group * tiles) : full;
        int rem = id < inFull ? id % (group * tiles) : id - inFull;
        int width = id < inFull ? group : strips - full * group;
        return g * group + rem % width;
    }

    /** Work-item {@code id}'s row tile in the walk of {@link #strip}. */
    static int rowTile(int id, int strips, int tiles, int group) {
        int full = strips / group;
        int inFull = full * group * tiles;
        int rem = id < inFull ? id % (group * tiles) : id - inFull;
        int width = id < inFull ? group : strips - full * group;
        return rem / width;
    }

    /** out[row, col .. col + 16) = epilogue(v + bias), the part inside M x N. */
    static void store16(FloatArray out, FloatArray bias, int row, int col, int m, int n, Float16 v, int epilogue,
                        FloatArray gate, int gateStride, int gateOffset, int rowsPerSample) {
        if (row >= m || col >= n) {
            return;
        }
        long o = (long) row * n + col;
        long g = (long) (row / rowsPerSample) * gateStride + gateOffset + col;
        if (col + 16 <= n) {
            Float16 x = v.add(Float16.load(bias, col));
            if (epilogue == GELU) {
                x = Elementwise.geluTanh16(x);
            } else if (epilogue == RESIDUAL) {
                x = Float16.load(out, o).add(x);
            } else if (epilogue == GATED_RESIDUAL) {
                x = Float16.load(out, o).add(Float16.load(gate, g).mul(x));
            }
            x.store(out, o);
        } else {
            for (int j = 0; j < n - col; j++) {
                out.set(o + j, epilogue(epilogue, v.get(j) + bias.get(col + j), out, o + j, gate, g + j));
            }
        }
    }

    // ---------------------------------------------------------------- any device, local-memory tiles

    /** Launch: work-groups of 16 x 16, global (ceil(N / 64) * 16, ceil(M / 64) * 16); {@code epilogue} fixed (0..2). */
    public static void tiled(KernelContext ctx, FloatArray a, FloatArray wp, FloatArray bias, FloatArray out,
                             int m, int n, int k, int epilogue) {
        float[] as = ctx.allocateFloatLocalArray(TK * TM);
        float[] ws = ctx.allocateFloatLocalArray(TK * TN);
        tiledTile(ctx, as, ws, a, wp, bias, out, m, n, k, epilogue, bias, 0, 0, 1);
    }

    /** {@link #tiled} with out += gate[m / rowsPerSample][gateOffset + n] * (acc + bias). */
    public static void tiledGated(KernelContext ctx, FloatArray a, FloatArray wp, FloatArray bias, FloatArray out,
                                  int m, int n, int k, FloatArray gate, int gateStride, int gateOffset, int rowsPerSample) {
        float[] as = ctx.allocateFloatLocalArray(TK * TM);
        float[] ws = ctx.allocateFloatLocalArray(TK * TN);
        tiledTile(ctx, as, ws, a, wp, bias, out, m, n, k, GATED_RESIDUAL, gate, gateStride, gateOffset, rowsPerSample);
    }

    /** as[k][m] (TK x TM) and ws[k][n] (TK x TN): the work-group's local slices of A and W. */
    static void tiledTile(KernelContext ctx, float[] as, float[] ws, FloatArray a, FloatArray wp, FloatArray bias,
                          FloatArray out, int m, int n, int k, int epilogue, FloatArray gate, int gateStride,
                          int gateOffset, int rowsPerSample) {
        int tx = ctx.localIdx; // along N
        int ty = ctx.localIdy; // along M
        int n0 = ctx.groupIdx * TN;
        int m0 = ctx.groupIdy * TM;
        int lid = ty * 16 + tx;
        int padded = (n + NR - 1) / NR * NR;
        float[] acc = new float[16]; // acc[4 i + j]: out[m0 + ty + 16 i][n0 + tx + 16 j]
        float[] av = new float[4];
        float[] wv = new float[4];
        for (int k0 = 0; k0 < k; k0 += TK) {
            // 256 work-items load 64 x 16 of A (consecutive k) and 16 x 64 of W (consecutive n)
            for (int r = 0; r < 4; r++) {
                int e = lid + r * 256;
                int row = e / TK, kk = e % TK;
                int gm = m0 + row, gk = k0 + kk;
                as[kk * TM + row] = gm < m && gk < k ? a.get((long) gm * k + gk) : 0f;
                int wk = e / TN, wn = e % TN;
                int gn = n0 + wn, wgk = k0 + wk;
                ws[wk * TN + wn] = gn < padded && wgk < k ? wp.get(((long) (gn / NR) * k + wgk) * NR + gn % NR) : 0f;
            }
            ctx.localBarrier();
            for (int kk = 0; kk < TK; kk++) {
                for (int i = 0; i < 4; i++) {
                    av[i] = as[kk * TM + ty + 16 * i];
                    wv[i] = ws[kk * TN + tx + 16 * i];
                }
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 4; j++) {
                        acc[4 * i + j] += av[i] * wv[j];
                    }
                }
            }
            ctx.localBarrier();
        }
        for (int i = 0; i < 4; i++) {
            int row = m0 + ty + 16 * i;
            for (int j = 0; j < 4; j++) {
                int col = n0 + tx + 16 * j;
                if (row < m && col < n) {
                    long o = (long) row * n + col;
                    long g = (long) (row / rowsPerSample) * gateStride + gateOffset + col;
                    out.set(o, epilogue(epilogue, acc[4 * i + j] + bias.get(col), out, o, gate, g));
                }
            }
        }
    }

    /** One element's epilogue of v = acc + bias; out[o] and gate[g] are read only by the epilogues that use them. */
    static float epilogue(int epilogue, float v, FloatArray out, long o, FloatArray gate, long g) {
        if (epilogue == GELU) {
            return Elementwise.geluTanh(v);
        } else if (epilogue == RESIDUAL) {
            return out.get(o) + v;
        } else if (epilogue == GATED_RESIDUAL) {
            return out.get(o) + gate.get(g) * v;
        }
        return v;
    }
}
