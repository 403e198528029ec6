package ditvm.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ditvm.graph.TaskGraph;
import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Kernel;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;
import ditvm.plan.ExecutionPlan;
import ditvm.testing.TestDevices;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A kernel that does not compile raises with its name and the full build log; nothing falls back. */
class KernelBuildFailureTest {

    static final class Broken implements Kernel {
        @Override
        public String name() {
            return "broken";
        }

        @Override
        public String sourceFile() {
            return "broken.cl";
        }

        @Override
        public List<Param> params() {
            return List.of(Param.floats("x", a -> 1), Param.i32("n"));
        }

        @Override
        public Launch launch(Args args) {
            return new Launch(new long[] {1}, null);
        }

        @Override
        public Cost cost(Args args) {
            return Cost.ZERO;
        }

        @Override
        public long parallelism(Args args) {
            return 1;
        }

        @Override
        public void reference(Args args, long from, long to) {
            args.floats(0).set(0, args.i(1) * 2);
        }
    }

    static Stream<Device> compiled() {
        return Stream.concat(TestDevices.openCL(), Devices.cuda().stream());
    }

    @ParameterizedTest
    @MethodSource("compiled")
    void syntaxErrorGivesTheBuildLog(Device device) {
        try (FloatArray x = new FloatArray(1);
             ExecutionPlan plan = new ExecutionPlan(new TaskGraph("g").task("t", new Broken(), x, 1).snapshot())
                     .withDevice(device)) {
            assertThatThrownBy(plan::execute)
                    .isInstanceOfSatisfying(KernelBuildException.class, e -> {
                        assertThat(e.getMessage()).contains("kernel broken").contains(device.id());
                        assertThat(e.buildLog()).contains("error");
                        // the log points at the offending line of broken.cl (line 3 after the prelude's #line 1):
                        // "file:3:" from OpenCL compilers, "file(3):" from NVRTC and nvcc
                        assertThat(e.buildLog()).containsAnyOf(":3:", "(3)");
                    });
            assertThat(x.get(0)).as("nothing ran").isEqualTo(0f);
        }
    }
}
