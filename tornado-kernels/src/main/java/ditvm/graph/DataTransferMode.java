package ditvm.graph;

/** When a declared transfer happens. */
public enum DataTransferMode {
    /** Copied on the first execution of a plan only (weights, constants). */
    FIRST_EXECUTION,
    /** Copied on every execution (inputs, outputs). */
    EVERY_EXECUTION,
    /** Device to host only: copied when the caller asks, through {@code ExecutionResult.transferToHost}. */
    UNDER_DEMAND
}
