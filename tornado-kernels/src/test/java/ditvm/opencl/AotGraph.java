package ditvm.opencl;

import ditvm.device.Device;
import ditvm.graph.DataTransferMode;
import ditvm.graph.ImmutableTaskGraph;
import ditvm.graph.TaskGraph;
import ditvm.kernels.Gemm;
import ditvm.kernels.GemmWeights;
import ditvm.kernels.Kernels;
import ditvm.memory.FloatArray;
import ditvm.plan.ExecutionPlan;
import ditvm.plan.GridScheduler;
import ditvm.testing.Random;

/**
 * The graph the AOT tests build and run: {@code out = A W^T + b} (tiled GEMM, local 16 x 16)
 * then {@code y += 0.5 out} (AXPY, local 64), on awkward sizes (M=37, N=29, K=19).
 */
final class AotGraph implements AutoCloseable {
    static final int M = 37, N = 29, K = 19;
    final FloatArray a = Random.uniform(1, M * K, 1f);
    final FloatArray b = Random.uniform(3, N, 1f);
    final FloatArray wp;
    final FloatArray out = new FloatArray((long) M * N);
    final FloatArray y = new FloatArray((long) M * N);
    private final float[] y0;
    final ImmutableTaskGraph graph;

    AotGraph() {
        try (FloatArray w = Random.uniform(2, N * K, 1f)) {
            wp = GemmWeights.pack(w, N, K);
        }
        try (FloatArray init = Random.uniform(4, M * N, 1f)) {
            y0 = init.toArray();
        }
        graph = new TaskGraph("g")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, a, wp, b)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, y)
                .task("gemm", Kernels.gemm(Gemm.Impl.TILED, Gemm.Epilogue.NONE), a, wp, b, out, M, N, K)
                .task("axpy", Kernels.AXPY, out, y, 0.5f, M * N)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, y)
                .snapshot();
    }

    /** Runs the graph once on {@code device} from the same initial y; returns y. */
    float[] run(Device device) {
        return run(device, new GridScheduler());
    }

    float[] run(Device device, GridScheduler grid) {
        y.copyFrom(y0);
        try (ExecutionPlan plan = new ExecutionPlan(graph).withDevice(device).withGridScheduler(grid)) {
            plan.execute();
        }
        return y.toArray();
    }

    /** The same graph on the java device (the GEMM's Java reference, the Java axpy method itself). */
    float[] reference() {
        return run(new ditvm.device.java.JavaDevice());
    }

    @Override
    public void close() {
        a.close();
        b.close();
        wp.close();
        out.close();
        y.close();
    }
}
