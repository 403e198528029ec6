package ditvm.kernels;

import ditvm.device.Device;
import ditvm.memory.FloatArray;
import ditvm.testing.OneTask;
import ditvm.testing.Random;
import ditvm.testing.TestDevices;
import ditvm.testing.Tolerance;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SILU, GELU_TANH and ADD on every device against float64, lengths not multiples of 256. */
class ElementwiseKernelsTest {

    static Stream<Arguments> cases() {
        return TestDevices.all().flatMap(d -> Stream.of(1, 97, 4099).map(n -> Arguments.of(d, n)));
    }

    static double[] map(float[] x, DoubleUnaryOperator f) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = f.applyAsDouble(x[i]);
        }
        return r;
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void siluMatchesFloat64(Device device, int n) {
        try (FloatArray in = Random.uniform(21, n, 30f); FloatArray out = new FloatArray(n)) {
            OneTask.run(device, out, Kernels.SILU, in, out, n);
            Tolerance.assertClose("silu on " + device.id(), out.toArray(), map(in.toArray(), x -> x / (1 + Math.exp(-x))),
                    Tolerance.FP32);
        }
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void geluTanhMatchesFloat64(Device device, int n) {
        try (FloatArray in = Random.uniform(22, n, 6f); FloatArray out = new FloatArray(n)) {
            OneTask.run(device, out, Kernels.GELU_TANH, in, out, n);
            Tolerance.assertClose("gelu_tanh on " + device.id(), out.toArray(),
                    map(in.toArray(), x -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)))),
                    Tolerance.FP32);
        }
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("cases")
    void addMatchesFloat64(Device device, int n) {
        try (FloatArray a = Random.uniform(23, n, 1f); FloatArray b = Random.uniform(24, n, 1f);
             FloatArray c = new FloatArray(n)) {
            OneTask.run(device, c, Kernels.ADD, a, b, c, n);
            float[] x = a.toArray(), y = b.toArray();
            double[] ref = new double[n];
            for (int i = 0; i < n; i++) {
                ref[i] = (double) x[i] + y[i];
            }
            Tolerance.assertClose("add on " + device.id(), c.toArray(), ref, 1e-7);
        }
    }
}
