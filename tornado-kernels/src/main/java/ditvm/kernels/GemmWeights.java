package ditvm.kernels;

import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;

/**
 * The packed weight layout every GEMM kernel reads: W [N, K] (PyTorch Linear layout) cut into
 * panels of {@value #NR} output columns, each stored K-major, zero-padded past N:
 * {@code Wp[p][k][j] = W[NR*p + j][k]}, length {@code ceil(N / NR) * NR * K}.
 * Weights are packed once, when a model's graph is built, before their first upload.
 */
public final class GemmWeights {
    /** Output columns per panel. */
    public static final int NR = 32;

    private GemmWeights() {
    }

    public static long packedLength(int n, int k) {
        return (long) panels(n) * NR * k;
    }

    public static int panels(int n) {
        return (n + NR - 1) / NR;
    }

    /** Packs {@code w} [n, k] starting at element {@code offset} of {@code w}. */
    public static FloatArray pack(FloatArray w, long offset, int n, int k) {
        if (offset + (long) n * k > w.length()) {
            throw new IllegalArgumentException("pack: W needs " + ((long) n * k) + " elements from offset " + offset
                    + ", the array has " + w.length());
        }
        FloatArray p = new FloatArray(packedLength(n, k));
        for (int row = 0; row < n; row++) {
            long dst = (long) (row / NR) * NR * k + row % NR;
            long src = offset + (long) row * k;
            for (int kk = 0; kk < k; kk++) {
                p.set(dst + (long) kk * NR, w.get(src + kk));
            }
        }
        return p;
    }

    public static FloatArray pack(FloatArray w, int n, int k) {
        return pack(w, 0, n, k);
    }

    /** Words per row of the bf16 layout: K bf16 values, two per 32-bit word, an odd K padded with 0. */
    public static long bf16Words(int k) {
        return (k + 1) / 2;
    }

    public static long packedBf16Length(int n, int k) {
        return (long) n * bf16Words(k);
    }

    /**
     * W [n, k] from element {@code offset} as bf16 (round to nearest even), row-major, two per
     * int: word {@code [row][kk / 2]} holds W[row][kk] in its low half for even kk and in its
     * high half for odd kk; the layout gemm_bf16_cuda.cu reads (rows of W are the columns of the
     * tensor-core B operand).
     */
    public static IntArray packBf16(FloatArray w, long offset, int n, int k) {
        if (offset + (long) n * k > w.length()) {
            throw new IllegalArgumentException("packBf16: W needs " + ((long) n * k) + " elements from offset " + offset
                    + ", the array has " + w.length());
        }
        long words = bf16Words(k);
        IntArray p = new IntArray(packedBf16Length(n, k));
        for (int row = 0; row < n; row++) {
            long src = offset + (long) row * k;
            for (int kk = 0; kk < k; kk += 2) {
                int lo = Bf16.bits(w.get(src + kk));
                int hi = kk + 1 < k ? Bf16.bits(w.get(src + kk + 1)) : 0;
                p.set(row * words + kk / 2, hi << 16 | lo);
            }
        }
        return p;
    }

    public static IntArray packBf16(FloatArray w, int n, int k) {
        return packBf16(w, 0, n, k);
    }

    /** W[row][kk] as a float from the bf16 layout. */
    static float bf16At(IntArray packed, int k, int row, int kk) {
        int word = packed.get(row * bf16Words(k) + kk / 2);
        return Bf16.toFloat(kk % 2 == 0 ? word & 0xFFFF : word >>> 16);
    }

    /** W[row][kk] read from the packed layout. */
    static float at(FloatArray packed, int k, int row, int kk) {
        return packed.get(((long) (row / NR) * k + kk) * NR + row % NR);
    }
}
