package ditvm.model.weights;

import ditvm.memory.FloatArray;

/**
 * The fixed 2-D sin-cos position embedding [T, D] (dit-spec.md section 2 item 2), computed in
 * float64 and cast to float32: the first D/2 channels encode the column, the last D/2 the row;
 * each half is sin(pos w_k) for k < D/4, then cos(pos w_k), with w_k = 1 / 10000^(k / (D/4)).
 */
public final class PositionEmbedding {

    private PositionEmbedding() {
    }

    public static FloatArray sinCos2d(int hidden, int grid) {
        if (hidden % 4 != 0) {
            throw new IllegalArgumentException("the 2-D sin-cos embedding needs hidden divisible by 4, found " + hidden);
        }
        int quarter = hidden / 4;
        FloatArray out = new FloatArray((long) grid * grid * hidden);
        for (int row = 0; row < grid; row++) {
            for (int col = 0; col < grid; col++) {
                long base = ((long) row * grid + col) * hidden;
                for (int k = 0; k < quarter; k++) {
                    double w = 1.0 / Math.pow(10000.0, (double) k / quarter);
                    out.set(base + k, (float) Math.sin(col * w));
                    out.set(base + quarter + k, (float) Math.cos(col * w));
                    out.set(base + 2L * quarter + k, (float) Math.sin(row * w));
                    out.set(base + 3L * quarter + k, (float) Math.cos(row * w));
                }
            }
        }
        return out;
    }
}
