package ditvm.kernels;

import ditvm.device.Device;
import ditvm.memory.FloatArray;
import ditvm.plan.OneTask;
import ditvm.testing.Random;
import ditvm.testing.TestDevices;
import ditvm.testing.Tolerance;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SILU, GELU_TANH, ADD and COPY, portable and CPU sources, on every device where they compile,
 * against float64; lengths not multiples of 256, 16 or the CPU sources' 4096-element chunks.
 */
class ElementwiseKernelsTest {

    enum Source { PORTABLE, CPU }

    static Stream<Arguments> cases() {
        // both shapes are Java methods: every device runs both
        return TestDevices.all().flatMap(d -> Stream.of(Source.values())
                .flatMap(s -> Stream.of(1, 97, 4099, 8209).map(n -> Arguments.of(d, s, n))));
    }

    static Elementwise pick(Source s, Elementwise portable, Elementwise cpu) {
        return s == Source.CPU ? cpu : portable;
    }

    static double[] map(float[] x, DoubleUnaryOperator f) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = f.applyAsDouble(x[i]);
        }
        return r;
    }

    @ParameterizedTest(name = "{0} {1} n={2}")
    @MethodSource("cases")
    void siluMatchesFloat64(Device device, Source source, int n) {
        try (FloatArray in = Random.uniform(21, n, 30f); FloatArray out = new FloatArray(n)) {
            OneTask.run(device, out, pick(source, Kernels.SILU, Kernels.SILU_CPU), in, out, n);
            Tolerance.assertClose("silu (" + source + ") on " + device.id(), out.toArray(), map(in.toArray(), x -> x / (1 + Math.exp(-x))),
                    Tolerance.FP32);
        }
    }

    @ParameterizedTest(name = "{0} {1} n={2}")
    @MethodSource("cases")
    void geluTanhMatchesFloat64(Device device, Source source, int n) {
        try (FloatArray in = Random.uniform(22, n, 6f); FloatArray out = new FloatArray(n)) {
            OneTask.run(device, out, pick(source, Kernels.GELU_TANH, Kernels.GELU_TANH_CPU), in, out, n);
            Tolerance.assertClose("gelu_tanh (" + source + ") on " + device.id(), out.toArray(),
                    map(in.toArray(), x -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)))),
                    Tolerance.FP32);
        }
    }

    @ParameterizedTest(name = "{0} {1} n={2}")
    @MethodSource("cases")
    void addMatchesFloat64(Device device, Source source, int n) {
        try (FloatArray a = Random.uniform(23, n, 1f); FloatArray b = Random.uniform(24, n, 1f);
             FloatArray c = new FloatArray(n)) {
            OneTask.run(device, c, pick(source, Kernels.ADD, Kernels.ADD_CPU), a, b, c, n);
            float[] x = a.toArray(), y = b.toArray();
            double[] ref = new double[n];
            for (int i = 0; i < n; i++) {
                ref[i] = (double) x[i] + y[i];
            }
            Tolerance.assertClose("add (" + source + ") on " + device.id(), c.toArray(), ref, 1e-7);
        }
    }

    @ParameterizedTest(name = "{0} {1} n={2}")
    @MethodSource("cases")
    void copyIsExact(Device device, Source source, int n) {
        try (FloatArray in = Random.uniform(25, n, 1f); FloatArray out = new FloatArray(n)) {
            OneTask.run(device, out, pick(source, Kernels.COPY, Kernels.COPY_CPU), in, out, n);
            float[] x = in.toArray();
            double[] ref = new double[n];
            for (int i = 0; i < n; i++) {
                ref[i] = x[i];
            }
            Tolerance.assertClose("copy (" + source + ") on " + device.id(), out.toArray(), ref, 0);
        }
    }
}
