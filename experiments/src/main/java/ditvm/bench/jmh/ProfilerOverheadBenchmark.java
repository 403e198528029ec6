package ditvm.bench.jmh;

import ditvm.device.Devices;
import ditvm.graph.DataTransferMode;
import ditvm.graph.TaskGraph;
import ditvm.kernels.Kernels;
import ditvm.memory.FloatArray;
import ditvm.plan.ExecutionPlan;
import ditvm.plan.ExecutionResult;
import ditvm.plan.ProfilerMode;
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
 * What the profiler costs: one execution of a graph of 64 small AXPY tasks (launch-bound, so
 * any per-task cost shows), with the profiler OFF (no events) and SILENT (an event per task and
 * copy, read after the queue finishes).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProfilerOverheadBenchmark {
    static final int TASKS = 64;
    static final int N = 4096;

    @Param({"OFF", "SILENT"})
    public ProfilerMode profiler;

    @Param({"opencl:0:0"})
    public String device;

    private FloatArray x;
    private FloatArray y;
    private ExecutionPlan plan;

    @Setup
    public void setUp() {
        x = new FloatArray(N);
        y = new FloatArray(N);
        TaskGraph g = new TaskGraph("axpy").transferToDevice(DataTransferMode.EVERY_EXECUTION, x);
        for (int i = 0; i < TASKS; i++) {
            g.task("t" + i, Kernels.AXPY, x, y, 1f, N);
        }
        g.transferToHost(DataTransferMode.EVERY_EXECUTION, y);
        plan = new ExecutionPlan(g.snapshot()).withDevice(Devices.get(device)).withProfiler(profiler);
        plan.execute();
    }

    @Benchmark
    public ExecutionResult execute() {
        return plan.execute();
    }

    @TearDown
    public void tearDown() {
        plan.close();
        x.close();
        y.close();
    }
}
