package ditvm.model.graph;

/**
 * One transformer block of a conditioning variant (dit-spec.md section 3), adding its tasks
 * to the forward graph. The four variants are the closed family.
 */
sealed interface Block permits AdaLnZeroBlock, AdaLnBlock, InContextBlock, CrossAttentionBlock {

    static Block of(ditvm.model.Variant v) {
        return switch (v) {
            case ADALN_ZERO -> new AdaLnZeroBlock();
            case ADALN -> new AdaLnBlock();
            case IN_CONTEXT -> new InContextBlock();
            case CROSS_ATTENTION -> new CrossAttentionBlock();
        };
    }

    /** Adds block {@code index}'s tasks: it reads and updates {@code buffers.x()} in place. */
    void addTasks(ForwardBuilder b, int index, BlockBuffers buffers);
}
