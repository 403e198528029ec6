package ditvm.model.graph;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ditvm.device.Device;
import ditvm.device.DeviceType;
import ditvm.device.KernelBuildException;
import ditvm.model.Fixtures;
import ditvm.model.fixtures.ReferenceFixtures;
import ditvm.model.Precision;
import ditvm.model.weights.DiTWeights;
import ditvm.model.weights.SafeTensors;
import ditvm.testing.TestDevices;
import ditvm.testing.Tolerance;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bf16 option (GEMM operands rounded to bfloat16, fp32 accumulation) against the PyTorch
 * float64 fixtures: within bf16 accuracy, on the devices that run it (java's reference here,
 * CUDA sm_80+ where present); OpenCL devices refuse it with a clear build error.
 */
class ReducedPrecisionTest {
    /** bf16 keeps 8 significant bits (relative rounding 2^-9 per operand); measured 3e-3 to 5e-3 here. */
    static final double BF16 = 1e-2;

    static Stream<Arguments> cases() {
        return TestDevices.all().filter(d -> d.info().type() == DeviceType.JAVA || d.id().startsWith("cuda:"))
                .flatMap(d -> Fixtures.all().stream().filter(f -> !f.name().endsWith("-init")).map(f -> Arguments.of(d, f)));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void bf16ForwardIsWithinBf16AccuracyOfPyTorch(Device device, ReferenceFixtures.Fixture f) {
        try (DiTWeights w = DiTWeights.load(f.weights(), f.config(), f.variant());
             SafeTensors io = SafeTensors.open(f.io());
             DiTForward forward = DiTForward.build(w, f.batch(), device, Precision.BF16, null)) {
            float[] got = forward.forward(io.toFloats("x"), io.toFloats("t"), io.labels("y"));
            Tolerance.assertClose(f + " bf16 on " + device.id(), got, io.toFloats("out"), BF16);
        }
    }

    static Stream<Device> openCL() {
        return TestDevices.openCL();
    }

    @ParameterizedTest
    @MethodSource("openCL")
    void openCLRefusesBf16WithABuildError(Device device) {
        ReferenceFixtures.Fixture f = Fixtures.get("adaln-zero");
        try (DiTWeights w = DiTWeights.load(f.weights(), f.config(), f.variant());
             DiTForward forward = DiTForward.build(w, 1, device, Precision.BF16, null)) {
            assertThatThrownBy(forward::execute).isInstanceOf(KernelBuildException.class).hasMessageContaining("CUDA-only");
        }
    }
}
