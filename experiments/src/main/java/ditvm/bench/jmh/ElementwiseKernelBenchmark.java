package ditvm.bench.jmh;

import ditvm.graph.DataTransferMode;
import ditvm.graph.TaskGraph;
import ditvm.kernels.Elementwise;
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
 * The elementwise kernels and the copy they are judged by, over 2048 * 384 floats (one DiT-S/2
 * batch-8 activation); the device's source (elementwise_cpu.cl on CPUs, per-element on GPUs).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ElementwiseKernelBenchmark {
    @Param({"copy", "silu", "gelu_tanh", "add"})
    public String op;

    @Param({"786432"})
    public int elements;

    @Param({"opencl:0:0"})
    public String device;

    private KernelJmhInputs inputs;
    private ExecutionPlan plan;

    @Setup
    public void setUp() {
        inputs = new KernelJmhInputs();
        boolean gpu = !KernelJmhInputs.type(device).runsCpuKernels();
        Elementwise kernel = switch (op) {
            case "copy" -> gpu ? Kernels.COPY : Kernels.COPY_CPU;
            case "silu" -> gpu ? Kernels.SILU : Kernels.SILU_CPU;
            case "gelu_tanh" -> gpu ? Kernels.GELU_TANH : Kernels.GELU_TANH_CPU;
            case "add" -> gpu ? Kernels.ADD : Kernels.ADD_CPU;
            default -> throw new IllegalArgumentException("op must be copy, silu, gelu_tanh or add, given " + op);
        };
        FloatArray a = inputs.random(1, elements), out = inputs.zeros(elements);
        TaskGraph g = new TaskGraph("elementwise").transferToDevice(DataTransferMode.FIRST_EXECUTION, a);
        if (op.equals("add")) {
            FloatArray b = inputs.random(2, elements);
            g.transferToDevice(DataTransferMode.FIRST_EXECUTION, b).task(op, kernel, a, b, out, elements);
        } else {
            g.task(op, kernel, a, out, elements);
        }
        plan = inputs.plan(g, device);
    }

    @Benchmark
    public ExecutionResult elementwise() {
        return plan.execute();
    }

    @TearDown
    public void tearDown() {
        inputs.close();
    }
}
