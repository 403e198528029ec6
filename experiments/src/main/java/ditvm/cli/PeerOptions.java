package ditvm.cli;

import ditvm.harness.peers.Peers;
import ditvm.model.Precision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** --peers and where their models are cached: shared by ablation and sweep. */
final class PeerOptions {

    @Option(names = "--peers", paramLabel = "LIST",
            description = "Also measure the same model in these peers, interleaved with ditvm, outputs checked: onnxruntime, libtorch, pytorch (comma list).")
    String peers;

    @Option(names = "--peer-work", paramLabel = "DIR",
            description = "Where the peers' models (weights, ONNX, TorchScript) are cached. Default: $DITVM_WORK/peer-models (bin/ditvm: work/ in the repository), else ./work/peer-models.")
    Path work;

    /** The chosen peers, or {@link Peers#NONE}; a peer that is not built or cannot run here is one line of error. */
    Peers resolve(String precision) {
        if (peers == null || peers.isBlank()) {
            return Peers.NONE;
        }
        if (Precision.parse(precision) != Precision.FP32) {
            throw new Errors.UsageException("--peers runs fp32 models; found --precision " + precision);
        }
        List<String> names = new ArrayList<>();
        for (String s : peers.split(",", -1)) {
            if (s.isBlank()) {
                throw new Errors.UsageException("--peers: empty entry in '" + peers + "'");
            }
            names.add(s.trim());
        }
        Path dir = work;
        if (dir == null) {
            String env = System.getenv("DITVM_WORK");
            dir = (env != null && !env.isBlank() ? Path.of(env) : Path.of("work")).resolve("peer-models");
        }
        try {
            return Peers.of(names, dir, Runtime.getRuntime().availableProcessors());
        } catch (IllegalArgumentException e) {
            throw new Errors.UsageException(e.getMessage());
        }
    }
}
