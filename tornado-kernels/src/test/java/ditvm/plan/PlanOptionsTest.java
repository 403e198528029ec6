package ditvm.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ditvm.device.Device;
import ditvm.graph.DataTransferMode;
import ditvm.graph.ImmutableTaskGraph;
import ditvm.graph.TaskGraph;
import ditvm.kernel.Launch;
import ditvm.kernels.Kernels;
import ditvm.memory.FloatArray;
import ditvm.testing.TestDevices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Warm-up, print kernel, pre-compilation, profiling and the grid scheduler, on every device. */
class PlanOptionsTest {
    static final int N = 300;

    static Stream<Device> devices() {
        return TestDevices.all();
    }

    /** x copied on first execution; y device-only, incremented by 1 per execution, fetched on demand. */
    static ImmutableTaskGraph counter(FloatArray x, FloatArray y) {
        return new TaskGraph("g")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, x)
                .task("inc", Kernels.AXPY, x, y, 1f, N)
                .transferToHost(DataTransferMode.UNDER_DEMAND, y)
                .snapshot();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void warmUpRunsBeforeTheFirstReportedExecution(Device device) {
        try (FloatArray x = new FloatArray(N); FloatArray y = new FloatArray(N)) {
            x.fill(1f);
            try (ExecutionPlan plan = new ExecutionPlan(counter(x, y)).withDevice(device).withWarmUpIterations(3)) {
                ExecutionResult first = plan.execute();
                assertThat(first.profile("g").copyInBytes()).as("x went over during the warm-up").isZero();
                first.transferToHost(y);
                assertThat(y.get(N - 1)).as("3 warm-up executions + 1").isEqualTo(4f);
                plan.execute().transferToHost(y);
                assertThat(y.get(0)).as("warm-up happens once").isEqualTo(5f);
            }
            assertThatThrownBy(() -> new ExecutionPlan(counter(x, y)).withWarmUpIterations(-1)).hasMessageContaining(">= 0");
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void printKernelShowsTheSourceAndPreCompilationMovesCompileOutOfExecute(Device device) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (FloatArray x = new FloatArray(N); FloatArray y = new FloatArray(N)) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            try (ExecutionPlan plan = new ExecutionPlan(counter(x, y)).withDevice(device).withPrintKernel()
                    .withProfiler(ProfilerMode.SILENT).withPreCompilation()) {
                ExecutionResult r = plan.execute();
                assertThat(r.compileNanos()).as("compiled before execute").isZero();
                assertThat(r.profile("g").tasks()).hasSize(1);
                assertThat(r.toJson()).contains("\"graph\" : \"g\"").contains("\"task\" : \"inc\"").contains("kernelNanos");
                if (!device.id().equals("java")) {
                    assertThat(r.profile("g").kernelNanos()).as("device event time").isPositive();
                }
            } finally {
                System.setOut(stdout);
            }
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("axpy");
        if (device.id().startsWith("opencl")) {
            assertThat(text).as("the final OpenCL source, prelude included, generated from Axpy.axpy")
                    .contains("#define KERNEL __kernel").contains("KERNEL void Axpy_axpy(")
                    .contains("a1_y[((jlong) i4_i)] = JF_ADD(JF_MUL(f2_alpha, t0), t1);");
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void gridSchedulerReplacesTheKernelsWorkSizes(Device device) {
        try (FloatArray x = new FloatArray(N); FloatArray y = new FloatArray(N)) {
            x.fill(1f);
            GridScheduler grid = new GridScheduler().set("g", "inc", new Launch(new long[] {320}, new long[] {32}));
            try (ExecutionPlan plan = new ExecutionPlan(counter(x, y)).withDevice(device).withGridScheduler(grid)) {
                ExecutionResult r = plan.execute();
                assertThat(r.profile("g").tasks().getFirst().launch()).contains("global [320] local [32]");
                r.transferToHost(y);
                assertThat(y.get(N - 1)).isEqualTo(1f);
            }
            assertThatThrownBy(() -> new ExecutionPlan(counter(x, y))
                    .withGridScheduler(new GridScheduler().set("g", "nope", new Launch(new long[] {1}, null))))
                    .hasMessageContaining("no task 'nope'");
        }
    }

    /** Moving a plan to another device frees the first device's memory and starts over: first-execution copies again. */
    @org.junit.jupiter.api.Test
    void switchingDevicesStartsOver() {
        java.util.List<Device> all = TestDevices.all().toList();
        try (FloatArray x = new FloatArray(N); FloatArray y = new FloatArray(N)) {
            x.fill(1f);
            try (ExecutionPlan plan = new ExecutionPlan(counter(x, y))) {
                for (Device d : all) {
                    ExecutionResult r = plan.withDevice(d).execute();
                    assertThat(r.device()).isEqualTo(d.id());
                    assertThat(r.profile("g").copyInBytes()).as("x sent again to " + d.id()).isEqualTo(4L * N);
                    r.transferToHost(y);
                    assertThat(y.get(0)).as("fresh device memory on " + d.id()).isEqualTo(1f);
                }
            }
        }
    }
}
