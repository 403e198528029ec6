package ditvm.model.graph;

import ditvm.device.Device;
import ditvm.model.Fixtures;
import ditvm.model.fixtures.ReferenceFixtures;
import ditvm.model.weights.DiTWeights;
import ditvm.model.weights.SafeTensors;
import ditvm.testing.TestDevices;
import ditvm.testing.Tolerance;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every variant on every device against the PyTorch reference (float64, random non-zero
 * weights; experiments/reference/make_fixtures.py): max|diff| / max|ref| <= 1e-4, for the plain
 * forward pass and both guidance rules (first 3 channels, all channels).
 */
class PyTorchParityTest {

    static Stream<Arguments> cases() {
        return TestDevices.all().flatMap(d -> Fixtures.all().stream()
                .filter(f -> !f.name().endsWith("-init"))
                .map(f -> Arguments.of(d, f)));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void forwardMatchesPyTorch(Device device, ReferenceFixtures.Fixture f) {
        try (DiTWeights w = DiTWeights.load(f.weights(), f.config(), f.variant());
             SafeTensors io = SafeTensors.open(f.io());
             DiTForward forward = DiTForward.build(w, f.batch(), device)) {
            float[] got = forward.forward(io.floatsCopy("x").toArray(), io.floatsCopy("t").toArray(), io.ints("y").toArray());
            Tolerance.assertClose(f + " on " + device.id(), got, io.floatsCopy("out").toArray(), Tolerance.FP32);
        }
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void guidedForwardMatchesPyTorch(Device device, ReferenceFixtures.Fixture f) {
        try (DiTWeights w = DiTWeights.load(f.weights(), f.config(), f.variant());
             SafeTensors io = SafeTensors.open(f.io())) {
            float[] x = io.floatsCopy("x").toArray();
            float[] t = io.floatsCopy("t").toArray();
            int[] y = io.ints("y").toArray();
            try (DiTForward official = DiTForward.buildWithGuidance(w, f.batch(), device, f.cfgScale(), f.cfgGuidedChannels());
                 DiTForward all = DiTForward.buildWithGuidance(w, f.batch(), device, f.cfgScale(), f.config().outChannels())) {
                Tolerance.assertClose(f + " cfg (3 channels) on " + device.id(), official.forward(x, t, y),
                        io.floatsCopy("cfg_out").toArray(), Tolerance.FP32);
                Tolerance.assertClose(f + " cfg (all channels) on " + device.id(), all.forward(x, t, y),
                        io.floatsCopy("cfg_out_all").toArray(), Tolerance.FP32);
            }
        }
    }
}
