package ditvm.kernels;

import ditvm.memory.FloatArray;

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

    /** W[row][kk] read from the packed layout. */
    static float at(FloatArray packed, int k, int row, int kk) {
        return packed.get(((long) (row / NR) * k + kk) * NR + row % NR);
    }
}
