package ditvm.harness.peers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The peers a run measures, by --peers name, with the work folder their models are cached in and
 * the thread count every peer gets (the machine's cores, as PoCL uses). {@link #NONE}: ditvm alone.
 */
public record Peers(List<Peer> peers, Path workDir, int threads) {

    public static final Peers NONE = new Peers(List.of(), Path.of("."), 1);

    /** Every --peers name, in the order the report's columns take. */
    public static final List<String> NAMES = List.of("onnxruntime", "libtorch", "pytorch");

    public Peers {
        peers = List.copyOf(peers);
    }

    public boolean isEmpty() {
        return peers.isEmpty();
    }

    /**
     * The named peers: pytorch is built in, onnxruntime and libtorch come from the experiments-peers
     * jars on the class path. A name that is not known, or known but not built, is one line of error.
     */
    public static Peers of(List<String> names, Path workDir, int threads) {
        Map<String, Peer> found = new LinkedHashMap<>();
        found.put("pytorch", new PyTorchPeer());
        for (Peer p : ServiceLoader.load(Peer.class)) {
            found.put(p.name(), p);
        }
        List<Peer> chosen = new ArrayList<>();
        for (String n : names) {
            if (!NAMES.contains(n)) {
                throw new IllegalArgumentException("--peers takes " + String.join(", ", NAMES) + "; found '" + n + "'");
            }
            Peer p = found.get(n);
            if (p == null) {
                throw new PeerException("peer " + n + " is not built: run `make peers` (builds experiments-peers with the"
                        + " ONNX Runtime and DJL/libtorch jars, about 250 MB from Maven Central)");
            }
            if (chosen.contains(p)) {
                throw new IllegalArgumentException("--peers names " + n + " twice");
            }
            chosen.add(p);
        }
        if (!chosen.isEmpty()) {
            PythonPeerTools.requireTorch();
        }
        return new Peers(chosen, workDir, threads);
    }
}
