package ditvm.harness.peers;

import ditvm.kernel.KernelSources;
import ditvm.model.DiTConfig;
import ditvm.model.weights.DiTWeights;
import ditvm.model.weights.SafeTensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The folder a row's peers load their model from, cached under the peer work folder by what
 * defines it (config, variant, batch, seed): model.json, weights.safetensors (ditvm's weights),
 * inputs.safetensors (the row's x, t, y), and the exports made from them on first use by
 * Debian's python3-torch from the project's PyTorch reference: model.onnx and model.pt
 * (experiments/peers/export_peer_models.py). A folder is published whole, each export by rename.
 */
public final class PeerModelFiles {
    private final Path dir;
    private final DiTConfig config;
    private final int batch;
    private final float[] x;
    private final float[] t;
    private final int[] y;

    private PeerModelFiles(Path dir, DiTConfig config, int batch, float[] x, float[] t, int[] y) {
        this.dir = dir;
        this.config = config;
        this.batch = batch;
        this.x = x;
        this.t = t;
        this.y = y;
    }

    /** The folder for these weights and inputs under {@code workDir}, written now unless an earlier run did. */
    public static PeerModelFiles prepare(Path workDir, DiTWeights weights, String weightsId, int batch, float[] x, float[] t,
                                         int[] y) {
        DiTConfig c = weights.config();
        String key = String.join("|", c.describe(), weights.variant().cliName(), String.valueOf(batch), weightsId,
                KernelSources.sha256(Arrays.toString(x) + Arrays.toString(t) + Arrays.toString(y)));
        String name = (c.modelName() + "-" + c.inputSize() + "-" + weights.variant().cliName() + "-b" + batch + "-")
                .replaceAll("[^A-Za-z0-9.-]", "-") + KernelSources.sha256(key).substring(0, 12);
        Path dir = workDir.resolve(name);
        if (!Files.exists(dir.resolve("model.json"))) {
            Path staging = workDir.resolve(name + ".tmp-" + ProcessHandle.current().pid());
            try {
                deleteTree(staging);
                Files.createDirectories(staging);
                weights.save(staging.resolve("weights.safetensors"));
                long[] xs = {batch, c.inChannels(), c.inputSize(), c.inputSize()};
                long[] labels = Arrays.stream(y).asLongStream().toArray();
                new SafeTensorsWriter().put("x", x, xs).put("t", t, batch).putLongs("y", labels, batch)
                        .write(staging.resolve("inputs.safetensors"));
                Files.writeString(staging.resolve("model.json"), String.format(Locale.ROOT,
                        "{\"variant\": \"%s\", \"depth\": %d, \"hidden\": %d, \"heads\": %d, \"patch\": %d, \"input_size\": %d,"
                                + " \"in_channels\": %d, \"num_classes\": %d, \"learn_sigma\": %b, \"mlp_ratio\": %d, \"batch\": %d}%n",
                        weights.variant().cliName(), c.depth(), c.hidden(), c.heads(), c.patch(), c.inputSize(), c.inChannels(),
                        c.numClasses(), c.learnSigma(), c.mlpRatio(), batch));
                deleteTree(dir);
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                deleteTree(staging);
                throw new UncheckedIOException("writing the peers' model folder " + dir, e);
            }
        }
        return new PeerModelFiles(dir, c, batch, x.clone(), t.clone(), y.clone());
    }

    public Path dir() {
        return dir;
    }

    public DiTConfig config() {
        return config;
    }

    public int batch() {
        return batch;
    }

    /** x [batch, C, I, I] as a copy. */
    public float[] x() {
        return x.clone();
    }

    public float[] t() {
        return t.clone();
    }

    public int[] y() {
        return y.clone();
    }

    public long[] xShape() {
        return new long[] {batch, config.inChannels(), config.inputSize(), config.inputSize()};
    }

    /** model.onnx, exported now if no earlier run did. */
    public Path onnx() {
        return exported("model.onnx", "--onnx");
    }

    /** model.pt (TorchScript), exported now if no earlier run did. */
    public Path torchScript() {
        return exported("model.pt", "--torchscript");
    }

    private Path exported(String file, String flag) {
        Path f = dir.resolve(file);
        if (!Files.exists(f)) {
            System.err.println("peers: exporting " + f + " with " + PythonPeerTools.python() + " (once; later runs reuse it)");
            PythonPeerTools.run("exporting " + file + " for " + dir.getFileName(), PythonPeerTools.script("export_peer_models.py"),
                    dir.toString(), flag);
        }
        return f;
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + p, e);
        }
    }
}
