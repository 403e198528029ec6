package ditvm.harness.peers;

/**
 * Another runtime that runs the same DiT model, weights and inputs as ditvm, measured in the same
 * run (`ablation`/`sweep --peers`). The PyTorch peer is built in; ONNX Runtime and libtorch (DJL)
 * live in the experiments-peers module (`make peers`) and are found with {@link java.util.ServiceLoader}.
 */
public interface Peer {

    /** The name --peers takes: onnxruntime, libtorch, pytorch. */
    String name();

    /**
     * Loads the model in {@code files} with {@code threads} intra-op threads, on the GPU when
     * {@code gpu}; a peer that cannot do that throws {@link PeerException} saying why, in one line.
     */
    PeerSession open(PeerModelFiles files, int threads, boolean gpu);
}
