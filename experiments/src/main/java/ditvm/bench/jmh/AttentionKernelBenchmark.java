package ditvm.bench.jmh;

import ditvm.graph.DataTransferMode;
import ditvm.graph.TaskGraph;
import ditvm.kernels.Attention;
import ditvm.kernels.Kernels;
import ditvm.memory.FloatArray;
import ditvm.plan.ExecutionPlan;
import ditvm.plan.ExecutionResult;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Self-attention at DiT-S/2 batch 8 (B = 8, H = 6, T = 256, hd = 64) on packed qkv
 * [B, T, 3, H, hd]; the device's shape (Attention.attentionCpu on CPUs, Attention.attention on GPUs).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AttentionKernelBenchmark {
    @Param({"8"})
    public int batch;

    @Param({"6"})
    public int heads;

    @Param({"256"})
    public int tokens;

    @Param({"64"})
    public int headDim;

    @Param({"opencl:0:0"})
    public String device;

    private KernelJmhInputs inputs;
    private ExecutionPlan plan;

    @Setup
    public void setUp() {
        inputs = new KernelJmhInputs();
        long d = (long) heads * headDim;
        FloatArray qkv = inputs.random(1, (long) batch * tokens * 3 * d), out = inputs.zeros((long) batch * tokens * d);
        Attention kernel = KernelJmhInputs.type(device).runsCpuKernels() ? Kernels.ATTENTION_CPU : Kernels.ATTENTION;
        TaskGraph g = new TaskGraph("attention")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, qkv)
                .task("attention", kernel, qkv, out, batch, tokens, heads, headDim, (float) (1 / Math.sqrt(headDim)));
        plan = inputs.plan(g, device);
    }

    @Benchmark
    public ExecutionResult attention() {
        return plan.execute();
    }

    @TearDown
    public void tearDown() {
        inputs.close();
    }
}
