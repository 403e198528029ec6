package ditvm.harness.peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's Python with python3-torch (the pyenv python3 on PATH has no torch) and the scripts of
 * experiments/peers/: $DITVM_PYTHON, else /usr/bin/python3; $DITVM_PEERS_DIR (bin/ditvm sets it),
 * else ./experiments/peers.
 */
public final class PythonPeerTools {

    private PythonPeerTools() {
    }

    public static String python() {
        String p = System.getenv("DITVM_PYTHON");
        return p != null && !p.isBlank() ? p : "/usr/bin/python3";
    }

    public static Path script(String name) {
        String d = System.getenv("DITVM_PEERS_DIR");
        Path f = (d != null && !d.isBlank() ? Path.of(d) : Path.of("experiments", "peers")).resolve(name);
        if (!Files.isRegularFile(f)) {
            throw new PeerException("peers: " + f + " not found (set DITVM_PEERS_DIR to the repository's experiments/peers)");
        }
        return f;
    }

    /** Fails with one line when the Python has no torch: the exports and the pytorch peer need it. */
    public static void requireTorch() {
        List<String> cmd = List.of(python(), "-c", "import torch");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new PeerException("peers need Debian's python3-torch in " + python()
                        + " (the models are exported from the PyTorch reference): apt-get install python3-torch, or make setup");
            }
        } catch (IOException e) {
            throw new PeerException("peers need " + python() + " with python3-torch: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException("interrupted while looking for python3-torch", e);
        }
    }

    /** Runs {@code python script args...} to completion; a failure carries the script's last output lines. */
    static void run(String what, Path script, String... args) {
        requireTorch();
        List<String> cmd = new ArrayList<>(List.of(python(), script.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                List<String> lines = out.lines().toList();
                throw new PeerException(what + " failed: " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
            }
        } catch (IOException e) {
            throw new PeerException(what + ": cannot start " + python() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException(what + ": interrupted", e);
        }
    }
}
