package ditvm.harness.peers;

/** One peer with one model loaded: it owns what it loaded and frees it on close. */
public interface PeerSession extends AutoCloseable {

    /** What the report's column is named after: "ONNX Runtime", "PyTorch 2.7", "PyTorch 1.13". */
    String label();

    /** Runtime, version, device, threads, and how a forward pass is timed, in one line. */
    String description();

    /** One forward pass on the model's inputs; returns its wall time in ms (inputs in, output back where the peer copies). */
    double run();

    /** The output [batch, out, I, I] of the last {@link #run}. */
    float[] output();

    @Override
    void close();
}
