package ditvm.jit;

import static org.assertj.core.api.Assertions.assertThat;

import ditvm.device.Device;
import ditvm.graph.DataTransferMode;
import ditvm.graph.TaskGraph;
import ditvm.memory.FloatArray;
import ditvm.plan.ExecutionPlan;
import ditvm.testing.TestDevices;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JitSmokeTest {
    static Stream<Device> devices() {
        return TestDevices.all();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void saxpy(Device device) {
        int n = 1009;
        try (FloatArray x = new FloatArray(n).fillUniform(1); FloatArray y = new FloatArray(n).fillUniform(2);
             FloatArray expected = new FloatArray(n)) {
            float[] xs = x.toArray(), ys = y.toArray();
            try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("g")
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, x, y)
                    .task("saxpy", BasicKernels::saxpy, x, y, 2f, n)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, y).snapshot()).withDevice(device).withPrintKernel()) {
                plan.execute();
            }
            for (int i = 0; i < n; i++) {
                assertThat(y.get(i)).isEqualTo(2f * xs[i] + ys[i]);
            }
        }
    }
}
