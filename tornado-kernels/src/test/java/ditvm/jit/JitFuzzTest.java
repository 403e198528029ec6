package ditvm.jit;

import ditvm.device.Device;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;
import ditvm.plan.ExecutionResult;
import ditvm.testing.TestDevices;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential testing of the JIT with random programs ({@link FuzzProgram}): every generated
 * function runs as plain Java on the host (the oracle), on the java device and on every OpenCL
 * device, over the same inputs; the 64 result bits must be identical everywhere. No
 * transcendentals are generated, so nothing may legitimately differ: + - * / %, sqrt, floor,
 * ceil, conversions, min/max are exact in OpenCL C with the prelude's FP_CONTRACT OFF and
 * -cl-fp32-correctly-rounded-divide-sqrt. NaN results compare as the canonical NaN.
 *
 * <p>Size: {@code ditvm.fuzz.classes} classes (default 25) of {@code ditvm.fuzz.functions}
 * functions (default 80), so 2,000 functions, each on {@code ditvm.fuzz.inputs} inputs (default
 * 256). One class is one @Parallel kernel calling all its functions, so one OpenCL program:
 * PoCL takes 0.3 to 0.8 s to build a one-kernel program (3.4 s for the first that uses exp),
 * about 3.5 s to build one of 50 functions plus 1.5 s at its first launch, so 2,000 separate
 * programs would take 10 minutes or more. The seed is {@code ditvm.fuzz.seed} (default fixed,
 * so CI is reproducible; CI may pass another to explore); a failure prints the seed, the
 * function's Java source and the inputs. Every bug it found stays a named case in
 * {@link JitConstructsTest}.
 */
class JitFuzzTest {
    static final long DEFAULT_SEED = 20261201L;

    @TempDir
    Path tmp;

    @Test
    void randomProgramsAgreeWithJavaOnEveryDevice() throws Exception {
        long seed = Long.getLong("ditvm.fuzz.seed", DEFAULT_SEED);
        int classes = Integer.getInteger("ditvm.fuzz.classes", 25);
        int functions = Integer.getInteger("ditvm.fuzz.functions", 80);
        int n = Integer.getInteger("ditvm.fuzz.inputs", 256);
        long t0 = System.nanoTime();
        List<FuzzProgram.Source> sources = new ArrayList<>();
        SplittableRandom classSeeds = new SplittableRandom(seed); // no two run seeds share a class
        for (int k = 0; k < classes; k++) {
            sources.add(FuzzProgram.generate("ditvm.jit.fuzz", "Fuzz" + k, functions, classSeeds.nextLong()));
        }
        ClassLoader loader = FuzzProgram.compile(sources, tmp.resolve("classes"));
        long tCompiled = System.nanoTime();
        int[] xi = new int[3 * n];
        float[] xf = new float[2 * n];
        inputs(new SplittableRandom(seed), xi, xf);
        List<Device> devices = TestDevices.all().toList();
        double buildSeconds = 0;
        int builds = 0;
        for (int k = 0; k < classes; k++) {
            FuzzProgram.Source src = sources.get(k);
            Method all = JitRun.method(loader.loadClass(src.className()), "all");
            long[] expected = new long[functions * n];
            try (IntArray in = IntArray.fromArray(xi); FloatArray fin = FloatArray.fromArray(xf);
                 IntArray out = new IntArray(2L * functions * n)) {
                all.invoke(null, in, fin, out, n); // the plain Java call: the @Parallel loop is a loop
                for (int r = 0; r < expected.length; r++) {
                    expected[r] = word(out, r);
                }
                JavaKernel kernel = JavaKernel.of(all);
                for (Device d : devices) {
                    out.segment().fill((byte) 0x5a);
                    ExecutionResult res = JitRun.run(d, kernel, JitRun.outs(out), in, fin, out, n);
                    if (d.id().startsWith("opencl")) {
                        buildSeconds += res.compileNanos() / 1e9;
                        builds++;
                        System.out.printf(Locale.ROOT, "JitFuzzTest: %s on %s: build %.2f s, run %.2f s%n", src.className(),
                                d.id(), res.compileNanos() / 1e9, (res.totalNanos() - res.compileNanos()) / 1e9);
                    }
                    for (int j = 0; j < functions; j++) {
                        for (int i = 0; i < n; i++) {
                            int r = j * n + i;
                            long got = word(out, r);
                            if (got != expected[r]) {
                                throw new AssertionError(String.format(Locale.ROOT,
                                        "fuzz seed %d (-Dditvm.fuzz.seed=%d), class %s, function f%d, input %d "
                                                + "(a=%d, b=%d, c=%d, f=%s, g=%s) on %s: got 0x%016x, plain Java 0x%016x%n"
                                                + "the function:%n%s", seed, seed, src.className(), j, i, xi[i], xi[i + n],
                                        xi[i + 2 * n], hex(xf[i]), hex(xf[i + n]), d.id(), got, expected[r],
                                        src.functions().get(j)));
                            }
                        }
                    }
                }
            }
        }
        long t1 = System.nanoTime();
        System.out.printf(Locale.ROOT, "JitFuzzTest: seed %d, %d functions (%d classes x %d) x %d inputs on %s: "
                        + "javac %.1f s, total %.1f s, OpenCL program builds %d, %.2f s each%n", seed, classes * functions,
                classes, functions, n, devices.stream().map(Device::id).toList(), (tCompiled - t0) / 1e9, (t1 - t0) / 1e9,
                builds, builds == 0 ? 0 : buildSeconds / builds);
    }

    private static long word(IntArray out, int r) {
        return (out.get(2L * r) & 0xffffffffL) | ((long) out.get(2L * r + 1) << 32);
    }

    private static String hex(float x) {
        return x + " (0x" + Integer.toHexString(Float.floatToRawIntBits(x)) + ")";
    }

    /** Ints and floats with the edge cases over-represented: 0, -1, MIN, MAX, NaN, infinities, -0.0, subnormals. */
    static void inputs(SplittableRandom r, int[] xi, float[] xf) {
        int[] specialI = {0, 1, -1, 2, 31, 32, 33, 63, 64, -64, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE + 1, 0xffff, 128};
        float[] specialF = {0f, -0f, 1f, -1f, 0.5f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 2.1474836E9f, -2.1474839E9f,
                9.223372E18f, 1e-40f, 3f};
        for (int i = 0; i < xi.length; i++) {
            xi[i] = switch (r.nextInt(4)) {
                case 0 -> specialI[r.nextInt(specialI.length)];
                case 1 -> r.nextInt(-100, 100);
                default -> r.nextInt();
            };
        }
        for (int i = 0; i < xf.length; i++) {
            xf[i] = switch (r.nextInt(4)) {
                case 0 -> specialF[r.nextInt(specialF.length)];
                case 1 -> (float) r.nextDouble(-100, 100);
                case 2 -> Float.intBitsToFloat(r.nextInt());
                default -> (float) (r.nextGaussian() * Math.pow(2, r.nextInt(-30, 40)));
            };
        }
    }
}
