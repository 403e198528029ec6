package ditvm.kernels;

import ditvm.device.Device;
import ditvm.graph.DataTransferMode;
import ditvm.graph.TaskGraph;
import ditvm.memory.FloatArray;
import ditvm.plan.ExecutionPlan;
import ditvm.testing.Random;
import ditvm.testing.TestDevices;
import ditvm.testing.Tolerance;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** AXPY on every device against a float64 reference. */
class FoundationKernelsTest {

    static Stream<Device> devices() {
        return TestDevices.all();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void axpyMatchesReference(Device device) {
        int n = 1009; // prime: not a multiple of the 64-wide work-group
        try (FloatArray x = Random.uniform(4, n, 1f); FloatArray y = Random.uniform(5, n, 1f);
             ExecutionPlan plan = new ExecutionPlan(new TaskGraph("g")
                     .transferToDevice(DataTransferMode.EVERY_EXECUTION, x, y)
                     .task("axpy", Kernels.AXPY, x, y, 0.5f, n)
                     .transferToHost(DataTransferMode.EVERY_EXECUTION, y).snapshot()).withDevice(device)) {
            double[] ref = new double[n];
            for (int i = 0; i < n; i++) {
                ref[i] = 0.5 * x.get(i) + y.get(i);
            }
            float[] java = y.toArray();
            for (int i = 0; i < n; i++) {
                java[i] = 0.5f * x.get(i) + java[i]; // plain Java on the host copy: one rounding per * and +
            }
            plan.execute();
            Tolerance.assertClose("axpy on " + device.id(), y.toArray(), ref, 1e-6);
            org.assertj.core.api.Assertions.assertThat(y.toArray()).as("axpy on " + device.id() + " is Java's arithmetic, "
                    + "bit for bit (no fma contraction)").containsExactly(java);
        }
    }
}
