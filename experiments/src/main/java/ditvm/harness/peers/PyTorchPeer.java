package ditvm.harness.peers;

import ditvm.model.weights.SafeTensors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's PyTorch (python3-torch 1.13), eager, running the project's PyTorch reference in a
 * Python process that ditvm drives line by line (experiments/peers/torch_peer_server.py), so
 * its forward passes interleave with ditvm's. A forward pass is timed inside Python (the
 * inputs are torch tensors already, the output stays one): no pipe time is counted.
 */
public final class PyTorchPeer implements Peer {

    @Override
    public String name() {
        return "pytorch";
    }

    @Override
    public PeerSession open(PeerModelFiles files, int threads, boolean gpu) {
        if (gpu) {
            throw new PeerException("pytorch: Debian's python3-torch is a CPU build; it cannot be measured next to a GPU device"
                    + " (leave pytorch out of --peers there)");
        }
        PythonPeerTools.requireTorch();
        return new Session(files, threads);
    }

    private static final class Session implements PeerSession {
        private final PeerModelFiles files;
        private final Process process;
        private final BufferedReader in;
        private final PrintWriter out;
        private final Path log;
        private final String version;
        private final int threads;

        Session(PeerModelFiles files, int threads) {
            this.files = files;
            this.log = files.dir().resolve("pytorch-peer.log");
            try {
                ProcessBuilder pb = new ProcessBuilder(PythonPeerTools.python(), PythonPeerTools.script("torch_peer_server.py").toString(),
                        files.dir().toString(), "--threads", String.valueOf(threads))
                        .redirectError(log.toFile());
                pb.environment().put("OMP_NUM_THREADS", String.valueOf(threads));
                process = pb.start();
            } catch (IOException e) {
                throw new PeerException("pytorch: cannot start " + PythonPeerTools.python() + ": " + e.getMessage(), e);
            }
            in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            out = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            String[] ready = reply("ready").split(" ");
            this.version = ready[0];
            this.threads = Integer.parseInt(ready[1]);
        }

        private String reply(String expected) {
            try {
                String line = in.readLine();
                if (line == null || !line.startsWith(expected)) {
                    close();
                    List<String> err = Files.exists(log) ? Files.readAllLines(log) : List.of();
                    throw new PeerException("pytorch peer: expected '" + expected + "', found " + (line == null ? "the end of its output" : "'" + line + "'")
                            + (err.isEmpty() ? "" : ": " + err.getLast()));
                }
                return line.substring(expected.length()).trim();
            } catch (IOException e) {
                throw new PeerException("pytorch peer: " + e.getMessage(), e);
            }
        }

        @Override
        public String label() {
            String[] v = version.split("\\.");
            return "PyTorch " + v[0] + "." + v[1];
        }

        @Override
        public String description() {
            return "PyTorch " + version + " (Debian python3-torch), eager, no_grad, CPU, " + threads
                    + " threads; timed inside Python around model(x, t, y)";
        }

        @Override
        public double run() {
            out.println("run");
            return Double.parseDouble(reply("ms"));
        }

        @Override
        public float[] output() {
            Path f = files.dir().resolve("pytorch-out-" + ProcessHandle.current().pid() + ".safetensors");
            out.println("output " + f);
            reply("ok");
            try (SafeTensors st = SafeTensors.open(f)) {
                return st.floats("out").toArray();
            } finally {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    // a stale output file in the work folder is harmless
                }
            }
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                out.println("quit");
                out.close();
                try {
                    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
