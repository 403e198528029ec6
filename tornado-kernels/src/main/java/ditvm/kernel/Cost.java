package ditvm.kernel;

/**
 * What one launch of a kernel costs: multiply-accumulates of its matrix products (the DiT
 * paper's FLOP convention counts these), LayerNorm output elements (counted as 1 flop each
 * by that convention), and bytes it must read and write at the least.
 */
public record Cost(long macs, long layerNormElements, long bytesRead, long bytesWritten) {
    public static final Cost ZERO = new Cost(0, 0, 0, 0);

    public static Cost memory(long bytesRead, long bytesWritten) {
        return new Cost(0, 0, bytesRead, bytesWritten);
    }

    public Cost plus(Cost o) {
        return new Cost(macs + o.macs, layerNormElements + o.layerNormElements,
                bytesRead + o.bytesRead, bytesWritten + o.bytesWritten);
    }
}
