package ditvm.peers;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ditvm.harness.peers.Peer;
import ditvm.harness.peers.PeerException;
import ditvm.harness.peers.PeerModelFiles;
import ditvm.harness.peers.PeerSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * ONNX Runtime (com.microsoft.onnxruntime:onnxruntime, the CPU build Maven Central serves) through
 * its Java API, on the model exported to ONNX from the project's PyTorch reference. All graph
 * optimisations on, sequential execution, {@code threads} intra-op threads. A forward pass is
 * timed in Java around tensor creation from the inputs, {@code run} and the copy of the output.
 * With a GPU device it needs the CUDA execution provider (the onnxruntime_gpu build), which this
 * module does not bundle: it says so and the run stops.
 */
public final class OnnxRuntimePeer implements Peer {

    @Override
    public String name() {
        return "onnxruntime";
    }

    @Override
    public PeerSession open(PeerModelFiles files, int threads, boolean gpu) {
        if (gpu && !OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            throw new PeerException("onnxruntime: this ONNX Runtime build has no CUDA execution provider (experiments-peers bundles"
                    + " the CPU build), so it cannot be measured next to a GPU device; leave onnxruntime out of --peers there");
        }
        String model = files.onnx().toString();
        try {
            return new Session(files, model, threads, gpu);
        } catch (OrtException e) {
            throw new PeerException("onnxruntime: cannot load " + model + ": " + e.getMessage(), e);
        }
    }

    private static final class Session implements PeerSession {
        private final OrtEnvironment env = OrtEnvironment.getEnvironment();
        private final OrtSession session;
        private final PeerModelFiles files;
        private final float[] x;
        private final float[] t;
        private final long[] y;
        private final int threads;
        private final boolean gpu;
        private float[] out;

        Session(PeerModelFiles files, String model, int threads, boolean gpu) throws OrtException {
            this.files = files;
            this.threads = threads;
            this.gpu = gpu;
            this.x = files.x();
            this.t = files.t();
            this.y = Arrays.stream(files.y()).asLongStream().toArray();
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                o.setIntraOpNumThreads(threads);
                o.setInterOpNumThreads(1);
                o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                if (gpu) {
                    o.addCUDA(0);
                }
                session = env.createSession(model, o);
            }
        }

        @Override
        public String label() {
            return "ONNX Runtime";
        }

        @Override
        public String description() {
            return "ONNX Runtime " + env.getVersion() + " (Java API), " + (gpu ? "CUDA execution provider" : "CPU, " + threads
                    + " intra-op threads") + ", all graph optimisations, ONNX opset 16 exported by PyTorch 1.13;"
                    + " timed around tensors in, run, output out";
        }

        @Override
        public double run() {
            long t0 = System.nanoTime();
            try (OnnxTensor xt = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), files.xShape());
                 OnnxTensor tt = OnnxTensor.createTensor(env, FloatBuffer.wrap(t), new long[] {files.batch()});
                 OnnxTensor yt = OnnxTensor.createTensor(env, LongBuffer.wrap(y), new long[] {files.batch()});
                 OrtSession.Result r = session.run(Map.of("x", xt, "t", tt, "y", yt))) {
                FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                out = new float[fb.remaining()];
                fb.get(out);
            } catch (OrtException e) {
                throw new PeerException("onnxruntime: run failed: " + e.getMessage(), e);
            }
            return (System.nanoTime() - t0) / 1e6;
        }

        @Override
        public float[] output() {
            return out.clone();
        }

        @Override
        public void close() {
            try {
                session.close();
            } catch (OrtException e) {
                throw new PeerException("onnxruntime: closing the session: " + e.getMessage(), e);
            }
        }
    }
}
