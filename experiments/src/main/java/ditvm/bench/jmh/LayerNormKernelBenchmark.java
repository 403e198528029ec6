package ditvm.bench.jmh;

import ditvm.graph.DataTransferMode;
import ditvm.graph.TaskGraph;
import ditvm.kernels.Kernels;
import ditvm.kernels.LayerNormModulate;
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
 * LayerNorm over x [2048, 384] (DiT-S/2 batch 8: B = 8, T = 256, D = 384): adaLN modulate
 * (shift, scale per sample, no affine) or the affine LN; the device's kernel shape
 * (LayerNormModulate's CPU method on CPUs and java, its work-group-per-row method on GPUs).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LayerNormKernelBenchmark {
    @Param({"8"})
    public int batch;

    @Param({"256"})
    public int tokens;

    @Param({"384"})
    public int hidden;

    @Param({"true", "false"})
    public boolean modulate;

    @Param({"opencl:0:0", "java"})
    public String device;

    private KernelJmhInputs inputs;
    private ExecutionPlan plan;

    @Setup
    public void setUp() {
        inputs = new KernelJmhInputs();
        long rows = (long) batch * tokens;
        int stride = 2 * hidden; // mod [B, 2D]: shift, then scale
        FloatArray x = inputs.random(1, rows * hidden), gamma = inputs.random(2, hidden), beta = inputs.random(3, hidden);
        FloatArray mod = inputs.random(4, (long) batch * stride), out = inputs.zeros(rows * hidden);
        LayerNormModulate kernel = KernelJmhInputs.type(device).runsCpuKernels() ? Kernels.LAYERNORM_MODULATE_CPU
                : Kernels.LAYERNORM_MODULATE;
        TaskGraph g = new TaskGraph("layernorm")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, x, gamma, beta, mod)
                .task("layernorm", kernel, x, gamma, beta, mod, out, batch, tokens, hidden, 1e-6f,
                        modulate ? 0 : 1, modulate ? 1 : 0, stride, 0, hidden);
        plan = inputs.plan(g, device);
    }

    @Benchmark
    public ExecutionResult layerNorm() {
        return plan.execute();
    }

    @TearDown
    public void tearDown() {
        inputs.close();
    }
}
