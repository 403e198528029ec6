package ditvm.bench.jmh;

import ditvm.graph.DataTransferMode;
import ditvm.graph.TaskGraph;
import ditvm.kernels.Gemm;
import ditvm.kernels.GemmWeights;
import ditvm.kernels.PackRows;
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
 * The device's GEMM (no epilogue) at DiT-S/2 batch-8 shapes: M = 2048 tokens, (N, K) of the
 * qkv, proj, fc1 and fc2 linears. One operation = one execution of the prepared plan (kernel
 * plus launch overhead; the inputs stay on the device).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GemmKernelBenchmark {
    @Param({"2048x1152x384", "2048x384x384", "2048x1536x384", "2048x384x1536"})
    public String mnk;

    @Param({"opencl:0:0"})
    public String device;

    private KernelJmhInputs inputs;
    private ExecutionPlan plan;

    @Setup
    public void setUp() {
        String[] s = mnk.split("x");
        int m = Integer.parseInt(s[0]), n = Integer.parseInt(s[1]), k = Integer.parseInt(s[2]);
        inputs = new KernelJmhInputs();
        FloatArray a = inputs.random(1, (long) m * k), bias = inputs.random(3, n), out = inputs.zeros((long) m * n);
        FloatArray w = inputs.random(2, (long) n * k);
        FloatArray packed = inputs.own(GemmWeights.pack(w, n, k)); // the layout uploaded once per device
        Gemm gemm = Gemm.forDevice(ditvm.device.Devices.get(device).info(), Gemm.Epilogue.NONE);
        TaskGraph g = new TaskGraph("gemm").transferToDevice(DataTransferMode.FIRST_EXECUTION, a, packed, bias);
        FloatArray in = gemm.input(g, "pack", a, () -> inputs.zeros(PackRows.packedLength(m, k)), m, k); // timed with its packing pass
        g.task("gemm", gemm, in, packed, bias, out, m, n, k);
        plan = inputs.plan(g, device);
    }

    @Benchmark
    public ExecutionResult gemm() {
        return plan.execute();
    }

    @TearDown
    public void tearDown() {
        inputs.close();
    }
}
