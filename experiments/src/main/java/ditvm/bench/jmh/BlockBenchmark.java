package ditvm.bench.jmh;

import ditvm.device.Devices;
import ditvm.model.DiTConfig;
import ditvm.model.Variant;
import ditvm.model.graph.SingleBlock;
import ditvm.model.weights.DiTWeights;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One DiT-S/2 block of each conditioning variant at batch 8 (256x256): the block's tasks on
 * device-resident activations, weights already uploaded. Score: ms per block execution.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BlockBenchmark {

    @Param({"adaln-zero", "adaln", "in-context", "cross-attention"})
    public String variant;

    @Param({"opencl:0:0"})
    public String device;

    @Param({"8"})
    public int batch;

    private DiTWeights weights;
    private SingleBlock block;

    @Setup(Level.Trial)
    public void setUp() {
        DiTConfig s2 = DiTConfig.preset("DiT-S/2", 256);
        Variant v = Variant.parse(variant);
        weights = DiTWeights.initialize(s2, v, 0);
        block = SingleBlock.build(weights, batch, Devices.get(device));
        block.execute(); // compile and upload
    }

    @Benchmark
    public void block() {
        block.execute();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        block.close();
        weights.close();
    }
}
