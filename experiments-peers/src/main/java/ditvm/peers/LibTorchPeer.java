package ditvm.peers;

import ai.djl.Model;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ditvm.harness.peers.Peer;
import ditvm.harness.peers.PeerException;
import ditvm.harness.peers.PeerModelFiles;
import ditvm.harness.peers.PeerSession;
import java.io.IOException;
import java.util.Arrays;

/**
 * libtorch 2.7.1 (CPU) through DJL's PyTorch engine, on the model traced to TorchScript from the
 * project's PyTorch reference. Offline: libtorch comes from ai.djl.pytorch:pytorch-native-cpu on
 * the class path (DJL extracts it once into its cache folder) and {@code ai.djl.offline} is set,
 * so nothing is downloaded at run time. {@code threads} intra-op threads, one inter-op thread,
 * inference mode. A forward pass is timed in Java around the input arrays, the block's forward
 * and the copy of the output. A GPU device needs libtorch's CUDA build, which the registry this
 * project reaches does not serve: it says so and the run stops.
 */
public final class LibTorchPeer implements Peer {

    @Override
    public String name() {
        return "libtorch";
    }

    @Override
    public PeerSession open(PeerModelFiles files, int threads, boolean gpu) {
        if (gpu) {
            throw new PeerException("libtorch: its CUDA build (ai.djl.pytorch:pytorch-native-cu128) is not served by the package"
                    + " registry here; experiments-peers bundles the CPU build, which cannot be measured next to a GPU device");
        }
        java.nio.file.Path ts = files.torchScript();
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Engine engine;
        try {
            engine = Engine.getEngine("PyTorch");
        } catch (RuntimeException e) {
            throw new PeerException("libtorch: DJL could not load libtorch from the class path (offline): " + e.getMessage(), e);
        }
        Model model = Model.newInstance("dit", ai.djl.Device.cpu(), "PyTorch");
        try {
            model.load(ts.getParent(), "model");
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new PeerException("libtorch: cannot load " + ts + ": " + e.getMessage(), e);
        }
        return new Session(files, model, engine.getVersion());
    }

    private static final class Session implements PeerSession {
        private final PeerModelFiles files;
        private final Model model;
        private final String version;
        private final float[] x;
        private final float[] t;
        private final long[] y;
        private float[] out;

        Session(PeerModelFiles files, Model model, String version) {
            this.files = files;
            this.model = model;
            this.version = version;
            this.x = files.x();
            this.t = files.t();
            this.y = Arrays.stream(files.y()).asLongStream().toArray();
        }

        @Override
        public String label() {
            String[] v = version.split("\\.");
            return "PyTorch " + v[0] + "." + v[1];
        }

        @Override
        public String description() {
            return "libtorch " + version + " through DJL " + Engine.getDjlVersion() + " (offline, native from pytorch-native-cpu),"
                    + " TorchScript traced by PyTorch 1.13, CPU, " + JniUtils.getNumThreads() + " intra-op / "
                    + JniUtils.getNumInteropThreads() + " inter-op threads, inference mode; timed around arrays in, forward, output out";
        }

        @Override
        public double run() {
            long t0 = System.nanoTime();
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDArray xa = m.create(x, new Shape(files.xShape()));
                NDArray ta = m.create(t);
                NDArray ya = m.create(y);
                NDList result = model.getBlock().forward(new ParameterStore(m, false), new NDList(xa, ta, ya), false);
                out = result.singletonOrThrow().toFloatArray();
            }
            return (System.nanoTime() - t0) / 1e6;
        }

        @Override
        public float[] output() {
            return out.clone();
        }

        @Override
        public void close() {
            model.close();
        }
    }
}
