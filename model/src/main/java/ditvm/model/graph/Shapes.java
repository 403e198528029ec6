package ditvm.model.graph;

import ditvm.model.DiTConfig;

/**
 * The sizes one forward graph is built for. {@code tokens} is the length of the sequence the
 * blocks see: T, or T + 2 for in-context conditioning.
 */
record Shapes(int batch, int tokens, int hidden, int heads, int headDim, int mlpHidden) {

    static Shapes of(DiTConfig c, int batch, int tokens) {
        return new Shapes(batch, tokens, c.hidden(), c.heads(), c.headDim(), c.mlpHidden());
    }

    /** Rows of the token matrices, B * tokens. */
    int rows() {
        return batch * tokens;
    }

    float attentionScale() {
        return (float) (1.0 / Math.sqrt(headDim));
    }
}
