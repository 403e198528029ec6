package ditvm.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ditvm.device.Device;
import ditvm.graph.DataTransferMode;
import ditvm.graph.ImmutableTaskGraph;
import ditvm.graph.TaskGraph;
import ditvm.kernels.Kernels;
import ditvm.memory.FloatArray;
import ditvm.testing.TestDevices;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Transfer modes observed through the profile's byte counts, on every device. */
class TransferSemanticsTest {
    static final int N = 1000; // 4000 bytes per array

    static Stream<Device> devices() {
        return TestDevices.all();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void firstExecutionCopiesOnceEveryExecutionThreeTimes(Device device) {
        try (FloatArray x = new FloatArray(N); FloatArray y = new FloatArray(N)) {
            x.fill(1f);
            ImmutableTaskGraph g = new TaskGraph("g")
                    .transferToDevice(DataTransferMode.FIRST_EXECUTION, x)
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, y)
                    .task("axpy", Kernels.AXPY, x, y, 2f, N)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, y)
                    .snapshot();
            long in = 0, out = 0;
            try (ExecutionPlan plan = new ExecutionPlan(g).withDevice(device).withProfiler(ProfilerMode.SILENT)) {
                for (int i = 0; i < 3; i++) {
                    GraphProfile p = plan.execute().profile("g");
                    in += p.copyInBytes();
                    out += p.copyOutBytes();
                }
            }
            // x once (4000) + y three times (12000) in; y three times out.
            assertThat(in).isEqualTo(4L * N + 3 * 4L * N);
            assertThat(out).isEqualTo(3 * 4L * N);
            // y was copied in each time, so each execution computes 2*1 + y_host: y_host = 0, 2, 4 -> 6.
            assertThat(y.get(0)).isEqualTo(6f);
            assertThat(y.get(N - 1)).isEqualTo(6f);
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void persistAndConsumePassesABufferWithoutAHostCopy(Device device) {
        try (FloatArray x = new FloatArray(N); FloatArray y = new FloatArray(N); FloatArray z = new FloatArray(N)) {
            x.fill(1f);
            ImmutableTaskGraph producer = new TaskGraph("producer")
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, x)
                    .task("y", Kernels.AXPY, x, y, 3f, N) // y = 3 (device-only, zero-filled before)
                    .persistOnDevice(y)
                    .snapshot();
            ImmutableTaskGraph consumer = new TaskGraph("consumer")
                    .consumeFromDevice("producer", y)
                    .task("z", Kernels.AXPY, y, z, 2f, N) // z = 2 * y = 6
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, z)
                    .snapshot();
            try (ExecutionPlan plan = new ExecutionPlan(producer, consumer).withDevice(device)) {
                ExecutionResult r = plan.execute();
                assertThat(r.profile("producer").copyOutBytes()).isZero();
                assertThat(r.profile("consumer").copyInBytes()).isZero();
                assertThat(r.profile("consumer").copyOutBytes()).isEqualTo(4L * N);
            }
            assertThat(z.get(0)).isEqualTo(6f);
            assertThat(y.get(0)).as("y never came back to the host").isEqualTo(0f);
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void underDemandCopiesOnlyWhenAsked(Device device) {
        try (FloatArray x = new FloatArray(N); FloatArray y = new FloatArray(N)) {
            x.fill(1f);
            ImmutableTaskGraph g = new TaskGraph("g")
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, x)
                    .task("axpy", Kernels.AXPY, x, y, 5f, N)
                    .transferToHost(DataTransferMode.UNDER_DEMAND, y)
                    .snapshot();
            try (ExecutionPlan plan = new ExecutionPlan(g).withDevice(device)) {
                ExecutionResult r = plan.execute();
                assertThat(r.profile("g").copyOutBytes()).isZero();
                assertThat(y.get(0)).isEqualTo(0f);
                r.transferToHost(y);
                assertThat(y.get(0)).isEqualTo(5f);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void consumingFromAGraphThatDidNotPersistIsRefused(Device device) {
        try (FloatArray x = new FloatArray(N); FloatArray y = new FloatArray(N)) {
            ImmutableTaskGraph a = new TaskGraph("a").task("t", Kernels.AXPY, x, y, 1f, N).snapshot();
            ImmutableTaskGraph b = new TaskGraph("b").consumeFromDevice("a", y).task("t", Kernels.AXPY, y, x, 1f, N).snapshot();
            assertThatThrownBy(() -> new ExecutionPlan(a, b).withDevice(device))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not persistOnDevice");
        }
    }
}
