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
            float[] got = forward.forward(io.toFloats("x"), io.toFloats("t"), io.labels("y"));
            Tolerance.assertClose(f + " on " + device.id(), got, io.toFloats("out"), Tolerance.FP32);
        }
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void guidedForwardMatchesPyTorch(Device device, ReferenceFixtures.Fixture f) {
        try (DiTWeights w = DiTWeights.load(f.weights(), f.config(), f.variant());
             SafeTensors io = SafeTensors.open(f.io())) {
            float[] x = io.toFloats("x");
            float[] t = io.toFloats("t");
            int[] y = io.labels("y");
            try (DiTForward official = DiTForward.buildWithGuidance(w, f.batch(), device, f.cfgScale(), f.cfgGuidedChannels());
                 DiTForward all = DiTForward.buildWithGuidance(w, f.batch(), device, f.cfgScale(), f.config().outChannels())) {
                Tolerance.assertClose(f + " cfg (3 channels) on " + device.id(), official.forward(x, t, y),
                        io.toFloats("cfg_out"), Tolerance.FP32);
                Tolerance.assertClose(f + " cfg (all channels) on " + device.id(), all.forward(x, t, y),
                        io.toFloats("cfg_out_all"), Tolerance.FP32);
            }
        }
    }

    /**
     * The same weights stored as F16 and BF16 (converted to fp32 on load): the output moves by
     * the weights' rounding only (F16 keeps 11 bits, BF16 8).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("ditvm.testing.TestDevices#all")
    void halfPrecisionFilesLoadAndRun(Device device) {
        ReferenceFixtures.Fixture f = Fixtures.get("adaln-zero");
        try (SafeTensors io = SafeTensors.open(f.io())) {
            float[] x = io.toFloats("x"), t = io.toFloats("t"), ref = io.toFloats("out");
            int[] y = io.labels("y");
            String[][] files = {{"adaln-zero-weights-f16.safetensors", "2e-3"}, {"adaln-zero-weights-bf16.safetensors", "2e-2"}};
            for (String[] file : files) {
                try (DiTWeights w = DiTWeights.load(Fixtures.dir().resolve(file[0]), f.config(), f.variant());
                     DiTForward forward = DiTForward.build(w, f.batch(), device)) {
                    Tolerance.assertClose(file[0] + " on " + device.id(), forward.forward(x, t, y), ref, Double.parseDouble(file[1]));
                }
            }
        }
    }
}
