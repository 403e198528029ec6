package ditvm.jit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ditvm.api.KernelContext;
import ditvm.device.Device;
import ditvm.kernel.Kernel;
import ditvm.kernel.Launch;
import ditvm.memory.DeviceArray;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;
import ditvm.testing.TestDevices;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every construct of the kernel subset ({@link JitKernels}), run on every device and compared
 * with the same method called as plain Java on the host (the @Parallel loops are then plain
 * loops); KernelContext kernels against hand-computed values. Integer results and everything
 * made only of + - * / %, sqrt, fma, conversions and min/max: bit-identical (NaN compared as
 * NaN: its payload is unspecified). exp, log, pow, sin, cos, tanh, rsqrt: within OpenCL C 1.2's
 * bounds for full-profile float (exp/log 3 ulp, pow 16, sin/cos 4, tanh 5, rsqrt 2 ulp), plus
 * one for the rounding of the Java reference (float of the double result).
 */
class JitConstructsTest {
    static Stream<Device> devices() {
        return TestDevices.all();
    }

    static final int N = 97; // not a multiple of any work-group size

    // ------------------------------------------------------------------ helpers

    /** Calls the method as plain Java on copies of the arrays, then runs it on the device; every array must then agree. */
    private static List<DeviceArray> hostCopiesAfterCall(Method m, Object[] args) {
        Object[] host = args.clone();
        List<DeviceArray> copies = new ArrayList<>();
        for (int i = 0; i < host.length; i++) {
            if (host[i] instanceof FloatArray f) {
                FloatArray c = FloatArray.fromArray(f.toArray());
                host[i] = c;
                copies.add(c);
            } else if (host[i] instanceof IntArray a) {
                IntArray c = IntArray.fromArray(a.toArray());
                host[i] = c;
                copies.add(c);
            }
        }
        try {
            m.invoke(null, host);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        }
        return copies;
    }

    /** Runs {@code name} on {@code device} and on the host; float arrays within {@code ulps} (0: bit-identical), ints exact. */
    private static void assertSameAsJava(Device device, String name, int ulps, Object... args) {
        Method m = JitRun.method(JitKernels.class, name);
        List<DeviceArray> expected = hostCopiesAfterCall(m, args);
        DeviceArray[] arrays = java.util.Arrays.stream(args).filter(DeviceArray.class::isInstance)
                .map(DeviceArray.class::cast).toArray(DeviceArray[]::new);
        JitRun.run(device, JavaKernel.of(m), arrays, args);
        for (int a = 0; a < arrays.length; a++) {
            String what = name + " on " + device.id() + ", array argument " + a;
            if (arrays[a] instanceof IntArray got) {
                assertThat(got.toArray()).as(what + ", bit-identical to plain Java").containsExactly(((IntArray) expected.get(a)).toArray());
            } else {
                float[] got = ((FloatArray) arrays[a]).toArray(), want = ((FloatArray) expected.get(a)).toArray();
                for (int i = 0; i < got.length; i++) {
                    assertUlps(what + "[" + i + "]", got[i], want[i], ulps);
                }
            }
        }
    }

    static void assertUlps(String what, float got, float want, int ulps) {
        if (Float.isNaN(want) || Float.isNaN(got)) {
            assertThat(Float.isNaN(got)).as(what + ": got " + got + ", plain Java " + want).isEqualTo(Float.isNaN(want));
            return;
        }
        if (ulps == 0) {
            assertThat(Float.floatToRawIntBits(got)).as(what + ": got " + got + ", plain Java " + want + " (bit-identical)")
                    .isEqualTo(Float.floatToRawIntBits(want));
            return;
        }
        double err = Math.abs((double) got - want) / Math.ulp(want);
        assertThat(err).as(what + ": got " + got + ", plain Java " + want + ", within " + ulps + " ulp").isLessThanOrEqualTo(ulps);
    }

    static IntArray ints(int... v) {
        return IntArray.fromArray(v);
    }

    static final int[] SPECIAL_INTS = {0, 1, -1, 2, -2, 7, -7, 31, 32, 33, 63, 64, 65, -31, -32, -33, -64, 100, -100,
            Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE + 1, Integer.MAX_VALUE - 1, 0x10000, 0xffff, 123456789};
    static final float[] SPECIAL_FLOATS = {0f, -0f, 1f, -1f, 0.5f, -0.5f, 2.5f, -2.5f, 1.5f, Float.NaN, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE,
            2.1474836E9f, 2.147484E9f, -2.147484E9f, -2.1474836E9f, 9.223372E18f, 9.2233731E18f, -9.223373E18f, 1e-40f, 3f,
            1e10f, -1e10f, 0.7f, 0.1f, 65535.9f, 128.6f, -129.4f};

    static IntArray randomInts(int n, long seed, boolean nonZero) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = i < SPECIAL_INTS.length * 2 ? SPECIAL_INTS[(i * 7) % SPECIAL_INTS.length] : r.nextBoolean() ? r.nextInt() : r.nextInt(-300, 300);
            if (nonZero && v[i] == 0) {
                v[i] = -1;
            }
        }
        return IntArray.fromArray(v);
    }

    static FloatArray randomFloats(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i < SPECIAL_FLOATS.length * 2 ? SPECIAL_FLOATS[(i * 5) % SPECIAL_FLOATS.length]
                    : r.nextBoolean() ? (float) r.nextDouble(-1000, 1000) : Float.intBitsToFloat(r.nextInt());
        }
        return FloatArray.fromArray(v);
    }

    // ------------------------------------------------------------------ arithmetic (TornadoVM fuzzer regressions named)

    @ParameterizedTest
    @MethodSource("devices")
    void intOverflowWraps(Device d) {
        IntArray in = randomInts(2 * N, 1, true);
        // the edge pairs first: MIN / -1, MIN % -1, MAX + 1, MIN * -1
        int[] edge = {Integer.MIN_VALUE, -1, Integer.MAX_VALUE, 1, Integer.MIN_VALUE, Integer.MIN_VALUE, -1, Integer.MIN_VALUE,
                0x10000, 0x10000, Integer.MAX_VALUE, Integer.MAX_VALUE};
        for (int i = 0; i < edge.length; i++) {
            in.set(i, edge[i]);
        }
        assertSameAsJava(d, "intOverflowWraps", 0, in, new IntArray(32L * N), N);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void shiftCountIsMaskedLikeJava(Device d) {
        int[] counts = {0, 1, 5, 31, 32, 33, 63, 64, 65, 100, -1, -5, -31, -32, -33, -63, -64, Integer.MIN_VALUE, Integer.MAX_VALUE};
        assertSameAsJava(d, "shiftCountIsMaskedLikeJava", 0, randomInts(N, 2, false), ints(counts),
                new IntArray(9L * N * counts.length), N, counts.length);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void floatToIntSaturatesAndNaNIsZero(Device d) {
        assertSameAsJava(d, "conversionsFollowJava", 0, randomFloats(N, 3), new IntArray(24L * N), N);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void minMaxFollowJavaNaNRules(Device d) {
        float[] special = {Float.NaN, 1f, 1f, Float.NaN, Float.NaN, Float.NaN, 0f, -0f, -0f, 0f, -0f, -0f, 0f, 0f,
                Float.NEGATIVE_INFINITY, Float.NaN, -1f, 1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, Float.NaN};
        FloatArray in = randomFloats(2 * N, 4);
        for (int i = 0; i < special.length; i++) {
            in.set(i, special[i]);
        }
        assertSameAsJava(d, "minMaxFollowJavaNaNRules", 0, in, new IntArray(12L * N), N);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void integerDivisionTruncatesAndFloatRemainderIsFmod(Device d) {
        assertSameAsJava(d, "divisionTruncatesAndRemainderIsFmod", 0, randomInts(2 * N, 5, true), randomFloats(2 * N, 6),
                new IntArray(10L * N), N);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void constantsNaNInfinitySubnormalNegativeZeroAreExact(Device d) {
        IntArray out = new IntArray(29);
        JitRun.run(d, JitRun.kernel(JitKernels.class, "constantsAreExact"), JitRun.outs(out), out);
        IntArray want = new IntArray(29);
        JitKernels.constantsAreExact(want);
        assertThat(out.toArray()).as("constants on " + d.id() + ", bit for bit (the NaN constants are Java's canonical NaN)")
                .containsExactly(want.toArray());
    }

    @ParameterizedTest
    @MethodSource("devices")
    void doubleArithmeticIsIeee(Device d) {
        assertSameAsJava(d, "doubleArithmetic", 0, randomFloats(2 * N, 7), new IntArray(12L * N), N);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void kernelMathFloatWithinOpenClUlps(Device d) {
        Method m = JitRun.method(JitKernels.class, "kernelMathFloat");
        float[] x = new float[N];
        SplittableRandom r = new SplittableRandom(8);
        for (int i = 0; i < N; i++) {
            x[i] = (float) r.nextDouble(-8, 8);
        }
        FloatArray in = FloatArray.fromArray(x), out = new FloatArray(9L * N);
        FloatArray want = (FloatArray) hostCopiesAfterCall(m, new Object[] {in, out, N}).get(1);
        JitRun.run(d, JavaKernel.of(m), JitRun.outs(out), in, out, N);
        // OpenCL C 1.2 (7.4) bounds from the exact result: exp log pow sin cos tanh rsqrt sqrt fma; the Java reference
        // is itself rounded once more (float of a double), so the transcendentals get one ulp more
        int[] ulps = {3 + 1, 3 + 1, 16 + 1, 4 + 1, 4 + 1, 5 + 1, 2 + 1, 0, 0};
        String[] names = {"exp", "log", "pow", "sin", "cos", "tanh", "rsqrt", "sqrt", "fma"};
        for (int i = 0; i < N; i++) {
            for (int k = 0; k < 9; k++) {
                float w = want.get(9L * i + k), g = out.get(9L * i + k);
                if ((k == 3 || k == 4) && Math.abs(w) < 1e-3f) {
                    assertThat((double) Math.abs(g - w)).as(names[k] + "(" + x[i] + ") near a zero: absolute error").isLessThan(1e-6);
                    continue;
                }
                assertUlps(names[k] + "(" + x[i] + ") on " + d.id(), g, w, ulps[k]);
            }
        }
    }

    // ------------------------------------------------------------------ control flow, calls, tiles, constants

    @ParameterizedTest
    @MethodSource("devices")
    void controlFlowIfLoopsBreakContinueLabelledTernaryShortCircuit(Device d) {
        assertSameAsJava(d, "controlFlow", 0, randomInts(N, 9, false), new IntArray(N), N);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void switchTableAndLookup(Device d) {
        IntArray in = randomInts(N, 10, false);
        int[] keys = {-1000000, 7, 1 << 20, Integer.MIN_VALUE, 99999, 0, 1, 2, 3, 4, 5, 6, 8, 11, 12};
        for (int i = 0; i < keys.length; i++) {
            in.set(i, keys[i]);
        }
        assertSameAsJava(d, "switches", 0, in, new IntArray(2L * N), N);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void staticHelpersTakingFloatArrayPrivateArrayAndReturningFloat8(Device d) {
        assertSameAsJava(d, "helperCalls", 0, randomFloats(8 * N, 11), new FloatArray(2L * N), N);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void registerTilesAndStaticFinalConstants(Device d) {
        assertSameAsJava(d, "tilesAndConstants", 0, randomFloats(4 * N, 12), randomInts(4 * N, 13, false), new FloatArray(N),
                new IntArray(2L * N), N);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void longSumIndexesAreRowPointersToTheSameElements(Device d) {
        assertSameAsJava(d, "rowPointers", 0, randomFloats(4 * N, 15), new FloatArray(5L * N), N);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void postIncrementInLoopConditionReadsTheOldValue(Device d) {
        // JitFuzzTest found it: `while (k-- > 0)` compared the decremented k (the stack kept the name, not the value)
        assertSameAsJava(d, "postIncrementInCondition", 0, randomInts(N, 14, false), new IntArray(2L * N), N);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void floorAndCeilOfNaNInfinityAndHugeValuesAreJava(Device d) {
        // JitFuzzTest found it: PoCL's double ceil of a NaN gave garbage, so Math.max(x, Math.ceil(NaN)) was x
        assertSameAsJava(d, "floorAndCeil", 0, randomFloats(N, 21), new IntArray(8L * N), N);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void divisionByZeroThrowsOnJavaAndGivesZeroOnDevices(Device d) {
        IntArray in = ints(17, 0), out = new IntArray(4);
        Kernel k = JitRun.kernel(JitKernels.class, "divideByZero");
        if (d.id().equals("java")) {
            assertThatThrownBy(() -> JitRun.run(d, k, JitRun.outs(out), in, out)).isInstanceOf(ArithmeticException.class);
        } else {
            JitRun.run(d, k, JitRun.outs(out), in, out);
            assertThat(out.toArray()).as("x / 0 and x % 0 on " + d.id() + " (documented in jit-java.h)").containsExactly(0, 0, 0, 0);
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void kernelOfAClassInItsOwnClassLoaderRuns(Device d, @TempDir Path tmp) throws Exception {
        // JitFuzzTest found it: the java device could not define its sliced copy beside a class of another loader
        String src = """
                package ditvm.jit.loaded;

                import ditvm.api.Parallel;
                import ditvm.memory.IntArray;

                public final class Loaded {
                    static final int K = Integer.parseInt("3");

                    public static void run(IntArray out, int n) {
                        for (@Parallel int i = 0; i < n; i++) {
                            out.set(i, twice(i) + K);
                        }
                    }

                    private static int twice(int x) {
                        return 2 * x;
                    }
                }
                """;
        ClassLoader loader = FuzzProgram.compile(List.of(new FuzzProgram.Source("ditvm.jit.loaded.Loaded", src, List.of())),
                tmp.resolve("classes"));
        IntArray out = new IntArray(1000);
        JitRun.run(d, JavaKernel.of(JitRun.method(loader.loadClass("ditvm.jit.loaded.Loaded"), "run")), JitRun.outs(out), out, 1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(out.get(i)).as("Loaded.run[" + i + "] on " + d.id()).isEqualTo(2 * i + 3);
        }
    }

    // ------------------------------------------------------------------ vectors

    @ParameterizedTest
    @MethodSource("devices")
    void float4Float8Float16LoadStoreBroadcastArithmeticFmaGet(Device d) {
        int chunks = 9;
        assertSameAsJava(d, "vectors", 0, randomFloats(16 * chunks + 16, 15), randomFloats(16 * chunks + 16, 16),
                new FloatArray(29L * chunks), chunks);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void vectorLoadStoreOnPrivateArraysAndLaneMaxFollowJava(Device d) {
        int chunks = 7;
        FloatArray a = randomFloats(32 * chunks, 22);
        // lane pairs (x[k], y[k]) of chunk 0 with Math.max's special cases: NaN either side, -0 / +0 both orders
        float[] x = {Float.NaN, 1f, 0f, -0f, -0f, Float.NaN, Float.NEGATIVE_INFINITY, 0f, -1f, Float.POSITIVE_INFINITY, 3f, -0f};
        float[] y = {1f, Float.NaN, -0f, 0f, -0f, Float.NaN, Float.NaN, 0f, -0f, Float.NEGATIVE_INFINITY, 3f, -2f};
        for (int k = 0; k < x.length; k++) {
            a.set(k, x[k]);
            a.set(16 + k, y[k]);
        }
        assertSameAsJava(d, "vectorsPrivateAndMax", 0, a, new FloatArray(56L * chunks), chunks);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void vectorLoadStoreOnLocalArrays(Device d) {
        int groups = 3, items = 4 * groups;
        FloatArray in = randomFloats(16 * items, 23), out = new FloatArray(20L * items);
        for (int k = 0; k < 16; k++) { // -0 against +0 and NaN against a number, across the neighbours 0 and 1
            in.set(k, k % 2 == 0 ? -0f : Float.NaN);
            in.set(16 + k, k % 2 == 0 ? 0f : 5f);
        }
        JitRun.run(d, JitRun.kernel(JitKernels.class, "vectorsLocal"), Launch.grid(new long[] {items}, new long[] {4}),
                JitRun.outs(out), new KernelContext(), in, out);
        for (int g = 0; g < items; g++) {
            int next = g / 4 * 4 + (g % 4 + 1) % 4;
            for (int k = 0; k < 16; k++) {
                assertUlps("vectorsLocal max[" + g + ", " + k + "] on " + d.id(), out.get(20L * g + k),
                        Math.max(in.get(16L * g + k), in.get(16L * next + k)), 0);
            }
            for (int k = 0; k < 4; k++) {
                assertUlps("vectorsLocal Float4[" + g + ", " + k + "] on " + d.id(), out.get(20L * g + 16 + k),
                        in.get(16L * next + 5 + k), 0);
            }
        }
    }

    // ------------------------------------------------------------------ @Parallel geometry

    @ParameterizedTest
    @MethodSource("devices")
    void parallel1dNonZeroStartStepTwoParameterBound(Device d) {
        assertSameAsJava(d, "parallel1d", 0, new IntArray(1001), 1001);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void parallel2dConstantAndLengthBounds(Device d) {
        assertSameAsJava(d, "parallel2d", 0, randomFloats(37, 17), new FloatArray(6 * 37));
    }

    @ParameterizedTest
    @MethodSource("devices")
    void parallel3dStepsStartsAndThreeKindsOfBound(Device d) {
        IntArray marks = randomInts(23, 18, false);
        assertSameAsJava(d, "parallel3d", 0, marks, new IntArray(11 * 5 * 23), 11);
    }

    // ------------------------------------------------------------------ KernelContext

    @ParameterizedTest
    @MethodSource("devices")
    void kernelContext1dLocalArrayAndBarrier(Device d) {
        int n = 256, local = 64;
        IntArray in = randomInts(n, 19, false), out = new IntArray(n);
        JitRun.run(d, JitRun.kernel(JitKernels.class, "context1d"), Launch.grid(new long[] {n}, new long[] {local}),
                JitRun.outs(out), new KernelContext(), in, out);
        for (int g = 0; g < n; g++) {
            int group = g / local, l = g % local;
            assertThat(out.get(g)).as("context1d[" + g + "] on " + d.id())
                    .isEqualTo(in.get(group * local + local - 1 - l) * 1000 + group * 10 + 1);
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void kernelContext2dTransposeThroughLocalMemory(Device d) {
        int w = 24, h = 16;
        FloatArray in = randomFloats(w * h, 20), out = new FloatArray(w * h);
        JitRun.run(d, JitRun.kernel(JitKernels.class, "context2d"), Launch.grid(new long[] {w, h}, new long[] {8, 8}),
                JitRun.outs(out), new KernelContext(), in, out, w);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                assertUlps("context2d out[" + x + ", " + y + "] on " + d.id(), out.get((long) x * h + y), in.get((long) y * w + x) + 4f, 0);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void kernelContext3dIdsSizesAndTwoBarriers(Device d) {
        int gx = 8, gy = 8;
        IntArray out = new IntArray(2L * gx * gy);
        JitRun.run(d, JitRun.kernel(JitKernels.class, "context3d"), Launch.grid(new long[] {gx, gy, 2}, new long[] {4, 4, 2}),
                JitRun.outs(out), new KernelContext(), out);
        for (int y = 0; y < gy; y++) {
            for (int x = 0; x < gx; x++) {
                long at = ((long) y * gx + x) * 2;
                assertThat(out.get(at)).as("context3d sum at (" + x + ", " + y + ") on " + d.id())
                        .isEqualTo((x + 10 * y) * 2 + 100);
                assertThat(out.get(at + 1)).as("context3d group z / sizes on " + d.id()).isEqualTo(2 * 100 + 2);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void kernelContextTaskWithoutGridSchedulerEntryFailsAtExecuteNamingTheTask(Device d) {
        IntArray in = new IntArray(64), out = new IntArray(64);
        assertThatThrownBy(() -> JitRun.run(d, JitRun.kernel(JitKernels.class, "context1d"), JitRun.outs(out),
                new KernelContext(), in, out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("task g.t")
                .hasMessageContaining("context1d")
                .hasMessageContaining("GridScheduler");
    }
}
