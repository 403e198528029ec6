package ditvm.model.graph;

import ditvm.device.Device;
import ditvm.graph.DataTransferMode;
import ditvm.kernel.Cost;
import ditvm.memory.DeviceArray;
import ditvm.memory.FloatArray;
import ditvm.model.DiTConfig;
import ditvm.model.Precision;
import ditvm.model.Variant;
import ditvm.model.weights.DiTWeights;
import ditvm.plan.ExecutionPlan;
import ditvm.plan.ExecutionResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Block 0 of a variant alone, as a graph over device-resident activations (the residual
 * stream, the conditioning vector SiLU(c) and, for cross-attention, the context [t_emb, y_emb]
 * filled with random values once): what the block benchmarks time.
 */
public final class SingleBlock implements AutoCloseable {
    private final ExecutionPlan plan;
    private final Cost cost;
    private final List<DeviceArray> owned;

    private SingleBlock(ExecutionPlan plan, Cost cost, List<DeviceArray> owned) {
        this.plan = plan;
        this.cost = cost;
        this.owned = owned;
    }

    public static SingleBlock build(DiTWeights weights, int batch, Device device) {
        return build(weights, batch, device, Precision.FP32);
    }

    public static SingleBlock build(DiTWeights weights, int batch, Device device, Precision precision) {
        DiTConfig c = weights.config();
        Variant v = weights.variant();
        int tokens = v == Variant.IN_CONTEXT ? c.tokens() + 2 : c.tokens();
        int d = c.hidden();
        List<DeviceArray> owned = new ArrayList<>();
        try {
            ForwardBuilder b = new ForwardBuilder("block", weights, Shapes.of(c, batch, tokens), device.info(),
                    precision, owned);
            long rows = (long) batch * tokens;
            FloatArray x = random(b, rows * d, 1);
            FloatArray condition = random(b, (long) batch * d, 2);
            FloatArray context = random(b, 2L * batch * d, 3);
            BlockBuffers buffers = new BlockBuffers(x, b.allocate(rows * d), b.allocate(rows * 3 * d), b.allocate(rows * d),
                    b.allocate(rows * c.mlpHidden()), b.allocate(6L * batch * d), condition, context,
                    b.allocate(4L * batch * d));
            Block block = Block.of(v);
            block.addTasks(b, 0, buffers);
            b.declareUploads();
            b.graph().transferToDevice(DataTransferMode.FIRST_EXECUTION, x, condition, context);
            var graph = b.graph().snapshot();
            return new SingleBlock(new ExecutionPlan(graph).withDevice(device), graph.cost(), owned);
        } catch (RuntimeException e) {
            owned.forEach(DeviceArray::close);
            throw e;
        }
    }

    private static FloatArray random(ForwardBuilder b, long n, long seed) {
        return b.allocate(n).fillUniform(seed);
    }

    public ExecutionPlan plan() {
        return plan;
    }

    /** MACs and LayerNorm elements of one execution of the block. */
    public Cost cost() {
        return cost;
    }

    public ExecutionResult execute() {
        return plan.execute();
    }

    @Override
    public void close() {
        plan.close();
        owned.forEach(DeviceArray::close);
    }
}
