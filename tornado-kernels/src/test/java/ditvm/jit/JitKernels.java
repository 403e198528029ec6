package ditvm.jit;

import ditvm.api.Float16;
import ditvm.api.Float4;
import ditvm.api.Float8;
import ditvm.api.KernelContext;
import ditvm.api.KernelMath;
import ditvm.api.Parallel;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;

/**
 * The kernels of {@link JitConstructsTest}: one construct family each, the Java-semantics
 * cases (overflow, shift counts, NaN) written out so that the plain Java call is the oracle.
 * Every result goes to an output array; floats and doubles that may be NaN go out as bits
 * through {@link #bitsF} / {@link #bitsD} (NaN payloads are unspecified, so canonical).
 */
public final class JitKernels {
    private JitKernels() {
    }

    static final int TILE = 4; // a compile-time constant: javac inlines it
    static final int SEVEN = Integer.parseInt("7"); // not a compile-time constant: a getstatic the JIT reads once
    static final float SCALE = Float.parseFloat("0.5");
    static final long BIG = Long.parseLong("-9000000000");

    static int bitsF(float x) {
        return Float.isNaN(x) ? 0x7fc00000 : Float.floatToRawIntBits(x);
    }

    static long bitsD(double x) {
        return Double.isNaN(x) ? 0x7ff8000000000000L : Double.doubleToRawLongBits(x);
    }

    static void putLong(IntArray out, long at, long v) {
        out.set(at, (int) v);
        out.set(at + 1, (int) (v >>> 32));
    }

    /** Pairs (a, b) = (in[2i], in[2i+1]): 16 int and long results each, wrapping like Java. */
    public static void intOverflowWraps(IntArray in, IntArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            int a = in.get(2L * i), b = in.get(2L * i + 1);
            long o = 32L * i;
            out.set(o, a + b);
            out.set(o + 1, a - b);
            out.set(o + 2, a * b);
            out.set(o + 3, -a);
            out.set(o + 4, a / b); // MIN_VALUE / -1 == MIN_VALUE
            out.set(o + 5, a % b); // x % -1 == 0
            out.set(o + 6, Math.abs(a)); // abs(MIN_VALUE) == MIN_VALUE
            out.set(o + 7, a * 65536 * 65536 + 1);
            long la = (long) a * 0x100000001L, lb = b;
            putLong(out, o + 8, la + Long.MAX_VALUE);
            putLong(out, o + 10, la * lb * 0x7fffffffL);
            putLong(out, o + 12, (la | Long.MIN_VALUE) / (lb == 0 ? 1 : lb >> 63 | 1)); // MIN / -1
            putLong(out, o + 14, la % (lb == 0 ? 1 : lb));
            putLong(out, o + 16, -(la | Long.MIN_VALUE));
            putLong(out, o + 18, Math.abs(la | Long.MIN_VALUE) + Math.abs(la));
            putLong(out, o + 20, Long.MIN_VALUE / -1L + (long) Integer.MIN_VALUE / -1);
            out.set(o + 22, Integer.MIN_VALUE / (b | -1)); // always / -1 at run time
            out.set(o + 23, Integer.MIN_VALUE % (b | -1));
            out.set(o + 24, a / 7 + a % 7 * 100);
            out.set(o + 25, -a / 7 + -a % -7);
            putLong(out, o + 26, la / 7 + la % -7);
            putLong(out, o + 28, (long) a + (long) b * Integer.MAX_VALUE);
            out.set(o + 30, Math.max(a, b) - Math.min(a, b));
            out.set(o + 31, (int) ((long) a * b >>> 32));
        }
    }

    /** Shift counts are taken & 31 (int) and & 63 (long), negative ones included; >>> is logical. */
    public static void shiftCountIsMaskedLikeJava(IntArray in, IntArray counts, IntArray out, int n, int m) {
        for (@Parallel int i = 0; i < n; i++) {
            int a = in.get(i);
            long la = ((long) a << 32) ^ 0x0123456789abcdefL ^ a;
            for (int k = 0; k < m; k++) {
                int s = counts.get(k);
                long o = 9L * (i * m + k);
                out.set(o, a << s);
                out.set(o + 1, a >> s);
                out.set(o + 2, a >>> s);
                putLong(out, o + 3, la << s);
                putLong(out, o + 5, la >> s);
                putLong(out, o + 7, la >>> (long) s);
            }
        }
    }

    /** (int) and (long) of floats and doubles saturate, NaN -> 0; the other conversions of Java. */
    public static void conversionsFollowJava(FloatArray in, IntArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            float f = in.get(i);
            double d = (double) f * 3.0e9;
            long o = 24L * i;
            out.set(o, (int) f);
            putLong(out, o + 1, (long) f);
            out.set(o + 3, (int) d);
            putLong(out, o + 4, (long) d);
            putLong(out, o + 6, (long) (d * d)); // beyond the long range
            int x = (int) (f * 1000f);
            out.set(o + 8, (byte) x);
            out.set(o + 9, (char) x);
            out.set(o + 10, (short) x);
            out.set(o + 11, (byte) (x >> 3) + (char) -x + (short) (x * 77));
            long l = (long) d * 1_000_003L + x;
            out.set(o + 12, bitsF((float) l));
            putLong(out, o + 13, bitsD((double) l));
            putLong(out, o + 15, bitsD((double) (l >>> 1 | 1))); // odd: rounds to nearest even
            out.set(o + 17, bitsF((float) (l | 0x7fL))); // float of a long: one rounding
            out.set(o + 18, bitsF((float) d));
            out.set(o + 19, bitsF((float) x));
            out.set(o + 20, (int) (char) (x + 40000));
            out.set(o + 21, (int) (float) Integer.MAX_VALUE);
            putLong(out, o + 22, bitsD((double) x / 3));
        }
    }

    /** Math.min / max and KernelMath.min / max: NaN if either is NaN, -0.0 below +0.0. */
    public static void minMaxFollowJavaNaNRules(FloatArray in, IntArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            float a = in.get(2L * i), b = in.get(2L * i + 1);
            double da = a, db = b;
            long o = 12L * i;
            out.set(o, bitsF(Math.min(a, b)));
            out.set(o + 1, bitsF(Math.max(a, b)));
            out.set(o + 2, bitsF(KernelMath.min(a, b)));
            out.set(o + 3, bitsF(KernelMath.max(a, b)));
            out.set(o + 4, bitsF(KernelMath.clamp(a, -1f, b)));
            putLong(out, o + 5, bitsD(Math.min(da, db)));
            putLong(out, o + 7, bitsD(Math.max(da, db)));
            out.set(o + 9, bitsF(Math.abs(a)));
            out.set(o + 10, Math.min((int) a, (int) b));
            out.set(o + 11, bitsF(Math.max(-0.0f, a)));
        }
    }

    /** Integer / and % truncate toward zero; float and double % is fmod (the sign of the dividend). */
    public static void divisionTruncatesAndRemainderIsFmod(IntArray ints, FloatArray floats, IntArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            int a = ints.get(2L * i), b = ints.get(2L * i + 1);
            float x = floats.get(2L * i), y = floats.get(2L * i + 1);
            long o = 10L * i;
            out.set(o, a / b);
            out.set(o + 1, a % b);
            putLong(out, o + 2, (long) a * 3 / b);
            putLong(out, o + 4, (long) a * 3 % b);
            out.set(o + 6, bitsF(x % y));
            putLong(out, o + 7, bitsD((double) x % (double) y * 1.5));
            out.set(o + 9, bitsF(x / y));
        }
    }

    /** Constants as the class file holds them: NaN, infinities, subnormals, -0.0, extremes. */
    public static void constantsAreExact(IntArray out) {
        out.set(0, Float.floatToRawIntBits(Float.MIN_VALUE));
        out.set(1, Float.floatToRawIntBits(-0.0f));
        out.set(2, Float.floatToRawIntBits(Float.MAX_VALUE));
        out.set(3, Float.floatToRawIntBits(Float.POSITIVE_INFINITY));
        out.set(4, Float.floatToRawIntBits(Float.NEGATIVE_INFINITY));
        out.set(5, Float.floatToRawIntBits(Float.NaN));
        out.set(6, Float.floatToRawIntBits(1.17549421E-38f)); // largest subnormal
        out.set(7, Float.floatToRawIntBits(0.1f));
        putLong(out, 8, Double.doubleToRawLongBits(Double.MIN_VALUE));
        putLong(out, 10, Double.doubleToRawLongBits(-0.0));
        putLong(out, 12, Double.doubleToRawLongBits(Double.MAX_VALUE));
        putLong(out, 14, Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY));
        putLong(out, 16, Double.doubleToRawLongBits(Double.NaN));
        putLong(out, 18, Double.doubleToRawLongBits(0.1));
        putLong(out, 20, Long.MIN_VALUE);
        putLong(out, 22, Long.MAX_VALUE);
        out.set(24, Integer.MIN_VALUE);
        out.set(25, Integer.MAX_VALUE);
        out.set(26, Float.floatToRawIntBits(-Float.MIN_VALUE));
        putLong(out, 27, Double.doubleToRawLongBits(4.9E-324 * 3));
    }

    /** if/else, for, while, do-while, break and continue (labelled too), ?:, && and ||. */
    public static void controlFlow(IntArray in, IntArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            int a = in.get(i);
            int acc = 0;
            if (a > 100) {
                acc = 1;
            } else if (a < -100) {
                acc = 2;
            } else {
                acc = 3;
            }
            for (int k = 0; k < 10; k++) {
                if (k == 7) {
                    break;
                }
                if ((k & 1) == 0) {
                    continue;
                }
                acc += k * a;
            }
            int w = a & 15;
            while (w > 0) {
                acc ^= w << 3;
                w -= 3;
            }
            int d = 0;
            do {
                acc += d;
                d++;
            } while (d < (a & 3));
            outer:
            for (int r = 0; r < 5; r++) {
                for (int c = 0; c < 5; c++) {
                    if (c > r) {
                        continue outer;
                    }
                    if (r * c > (a & 7)) {
                        break outer;
                    }
                    acc += r - c;
                }
            }
            boolean p = a > 0 && (a & 1) == 0 || a < -50 && a % 3 == 0;
            acc += p ? 1000 : -1000;
            acc += a > 0 ? a < 1000 ? 1 : 2 : 3;
            out.set(i, acc);
        }
    }

    /** switch on int: a dense one (tableswitch) and a sparse one (lookupswitch), fall-through included. */
    public static void switches(IntArray in, IntArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            int a = in.get(i);
            int r;
            switch (a & 7) {
                case 0:
                    r = 10;
                    break;
                case 1:
                case 2:
                    r = 20;
                    break;
                case 3:
                    r = a;
                    // fall through
                case 4:
                    r = 40 + a;
                    break;
                default:
                    r = -1;
            }
            int s = switch (a) {
                case -1000000 -> 1;
                case 7 -> 2;
                case 1 << 20 -> 3;
                case Integer.MIN_VALUE -> 4;
                case 99999 -> 5;
                default -> a % 5;
            };
            out.set(2L * i, r);
            out.set(2L * i + 1, s);
        }
    }

    /** Static helpers: one taking a FloatArray, one a private float[], one returning a Float8. */
    public static void helperCalls(FloatArray in, FloatArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            float[] tile = new float[8];
            fill(tile, in, i * 8L);
            Float8 v = twice(in, i * 8L);
            float s = sum(tile, 8) + dot(in, i * 8L, 8);
            out.set(2L * i, s);
            out.set(2L * i + 1, v.get(3) + v.get(7) + poly(s));
        }
    }

    static void fill(float[] tile, FloatArray src, long at) {
        for (int k = 0; k < tile.length; k++) {
            tile[k] = src.get(at + k) * 2f;
        }
    }

    private static float sum(float[] a, int len) {
        float s = 0;
        for (int k = 0; k < len; k++) {
            s += a[k];
        }
        return s;
    }

    static float dot(FloatArray a, long at, int len) {
        float s = 0;
        for (int k = 0; k < len; k++) {
            s += a.get(at + k) * a.get(at + k);
        }
        return s;
    }

    private static Float8 twice(FloatArray a, long at) {
        Float8 v = Float8.load(a, at);
        return v.add(v);
    }

    private static float poly(float x) {
        return x * x - 3f * x + 1f;
    }

    /**
     * Long sum indexes, which the JIT writes as a row pointer and a column ((a + row)[col]): rows
     * of a matrix, a row part below the array's start (row - 3, col + 3) and past its end, nested
     * sums, and the same through Float4 loads and stores.
     */
    public static void rowPointers(FloatArray a, FloatArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            long row = (long) i * 4;
            float s = a.get(row + 1) + 2f * a.get(row - 3 + 3) + 3f * a.get(row + 9 - 8);
            s += a.get((long) n * 4 + (row - (long) n * 4)); // a row part past the end, the element inside
            s += a.get(row + (long) (i % 4)) * a.get((row + 2) + ((long) i & 1));
            Float4 v = Float4.load(a, row + 0).add(Float4.load(a, (row - 4) + 4));
            v.store(out, (long) i * 4 + 0);
            out.set((long) n * 4 + i, s);
        }
    }

    /** Private float[] and int[] register tiles, and static final constants (compile-time and not). */
    public static void tilesAndConstants(FloatArray in, IntArray idx, FloatArray out, IntArray iout, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            float[] acc = new float[TILE * TILE];
            int[] hist = new int[8];
            for (int r = 0; r < TILE; r++) {
                for (int c = 0; c < TILE; c++) {
                    acc[r * TILE + c] = in.get(i * 4L + r) * in.get(i * 4L + c) * SCALE;
                }
            }
            for (int k = 0; k < 4; k++) {
                hist[idx.get(i * 4L + k) & 7]++;
            }
            float t = 0;
            for (int k = 0; k < TILE * TILE; k++) {
                t += acc[k] * (k + 1);
            }
            out.set(i, t);
            int h = 0;
            for (int k = 0; k < 8; k++) {
                h = h * 5 + hist[k];
            }
            iout.set(i, h + SEVEN * 1000);
            iout.set(n + i, (int) (BIG / (i + 1)));
        }
    }

    /** Double arithmetic: + - * / with rounding that only the exact IEEE result gives, sqrt, fma, casts. */
    public static void doubleArithmetic(FloatArray in, IntArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            double a = in.get(2L * i), b = in.get(2L * i + 1);
            double x = a / 3.0 + b * 1e-10;
            long o = 12L * i;
            putLong(out, o, bitsD(x));
            putLong(out, o + 2, bitsD(a * b - x));
            putLong(out, o + 4, bitsD(Math.sqrt(Math.abs(a * b))));
            putLong(out, o + 6, bitsD(Math.fma(a, b, x)));
            putLong(out, o + 8, bitsD(KernelMath.sqrt(x * x + 1) - (double) (float) x));
            out.set(o + 10, bitsF((float) (x * 1e30)));
            out.set(o + 11, bitsF(KernelMath.sqrt((float) a) + (float) Math.sqrt(b)));
        }
    }

    /** KernelMath in float: transcendentals (checked to a stated ulp bound), sqrt and fma (exact). */
    public static void kernelMathFloat(FloatArray in, FloatArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            float x = in.get(i);
            long o = 9L * i;
            out.set(o, KernelMath.exp(x));
            out.set(o + 1, KernelMath.log(Math.abs(x) + 0.5f));
            out.set(o + 2, KernelMath.pow(Math.abs(x) + 0.1f, 1.7f));
            out.set(o + 3, KernelMath.sin(x));
            out.set(o + 4, KernelMath.cos(x));
            out.set(o + 5, KernelMath.tanh(x));
            out.set(o + 6, KernelMath.rsqrt(Math.abs(x) + 1f));
            out.set(o + 7, KernelMath.sqrt(Math.abs(x)));
            out.set(o + 8, KernelMath.fma(x, x, -1f));
        }
    }

    /** Float4, Float8, Float16: load, store, broadcast, add, sub, mul, fma, get. */
    public static void vectors(FloatArray a, FloatArray b, FloatArray out, int chunks) {
        for (@Parallel int i = 0; i < chunks; i++) {
            long at = 16L * i;
            Float16 x = Float16.load(a, at), y = Float16.load(b, at);
            x.fma(y, Float16.broadcast(0.25f)).sub(y).mul(x).store(out, at);
            Float8 p = Float8.load(a, at).add(Float8.load(b, at + 8)), q = Float8.broadcast(3f);
            p.mul(q).fma(p, q).store(out, 16L * chunks + 8L * i);
            Float4 u = Float4.load(a, at + 12).sub(Float4.broadcast(1f)).mul(Float4.load(b, at));
            u.add(u.fma(u, u)).store(out, 24L * chunks + 4L * i);
            out.set(28L * chunks + i, u.get(0) + p.get(7) + x.get(15) + y.get(i & 15));
        }
    }

    /**
     * Vectors on private arrays: load / store at unaligned offsets of a {@code new float[40]},
     * through a helper taking the array; lane-wise max (Java's NaN and signed-zero rules).
     */
    public static void vectorsPrivateAndMax(FloatArray a, FloatArray out, int chunks) {
        for (@Parallel int i = 0; i < chunks; i++) {
            long at = 32L * i;
            float[] buf = new float[40];
            Float16 x = Float16.load(a, at), y = Float16.load(a, at + 16);
            x.max(y).store(buf, 3);
            y.max(x).store(buf, 19);
            Float8 p = Float8.load(buf, 5).max(Float8.load(a, at + 3));
            p.store(buf, 0);
            Float4 u = Float4.load(buf, 33).max(Float4.broadcast(-0f));
            u.store(buf, 36);
            Float16 z = sumFirstAndSecond(buf);
            for (int k = 0; k < 40; k++) {
                out.set(56L * i + k, buf[k]);
            }
            z.store(out, 56L * i + 40);
        }
    }

    /** A helper loading from the private array it is given. */
    private static Float16 sumFirstAndSecond(float[] b) {
        return Float16.load(b, 0).add(Float16.load(b, 16));
    }

    /**
     * Vectors on a local array, work-groups of 4: each work-item stores a Float16 of its row into
     * local memory, then reads its neighbour's (a Float16, and a Float4 at an unaligned offset
     * through a helper) and writes max(own, neighbour) and the Float4.
     */
    public static void vectorsLocal(KernelContext ctx, FloatArray in, FloatArray out) {
        float[] tile = ctx.allocateFloatLocalArray(4 * 16);
        int l = ctx.localIdx;
        Float16 own = Float16.load(in, 16L * ctx.globalIdx);
        own.store(tile, 16 * l);
        ctx.localBarrier();
        int next = (l + 1) % 4;
        Float16 theirs = Float16.load(tile, 16 * next);
        own.max(theirs).store(out, 20L * ctx.globalIdx);
        quarter(tile, 16 * next + 5).store(out, 20L * ctx.globalIdx + 16);
    }

    private static Float4 quarter(float[] t, int at) {
        return Float4.load(t, at);
    }

    /** One @Parallel loop: start 3, step 2, bound an int parameter. */
    public static void parallel1d(IntArray out, int n) {
        for (@Parallel int i = 3; i < n; i += 2) {
            out.set(i, i * i + 1);
        }
    }

    /** Two nested: bound a constant (outer) and an array's length() (inner, non-zero start). */
    public static void parallel2d(FloatArray row, FloatArray out) {
        for (@Parallel int r = 0; r < 6; r++) {
            for (@Parallel int c = 1; c < row.length(); c++) {
                out.set(r * row.length() + c, row.get(c) * (r + 1));
            }
        }
    }

    /** Three nested, steps 3 / 1 / 2, starts 1 / 0 / 2, bounds a parameter, a constant and length(). */
    public static void parallel3d(IntArray marks, IntArray out, int nz) {
        for (@Parallel int z = 1; z < nz; z += 3) {
            for (@Parallel int y = 0; y < 5; y++) {
                for (@Parallel int x = 2; x < marks.length(); x += 2) {
                    out.set((z * 5L + y) * marks.length() + x, marks.get(x) + 100 * y + 10000 * z);
                }
            }
        }
    }

    /** KernelContext in 1D: ids and sizes, a local array, barriers: a reversal within each group. */
    public static void context1d(KernelContext ctx, IntArray in, IntArray out) {
        int[] buf = ctx.allocateIntLocalArray(64);
        int l = ctx.localIdx;
        buf[l] = in.get(ctx.globalIdx);
        ctx.localBarrier();
        int size = ctx.localGroupSizeX;
        out.set(ctx.globalIdx, buf[size - 1 - l] * 1000 + ctx.groupIdx * 10 + (ctx.globalGroupSizeX == 256 ? 1 : 0));
    }

    /** KernelContext in 2D: a tile transposed through local memory. */
    public static void context2d(KernelContext ctx, FloatArray in, FloatArray out, int width) {
        float[] tile = ctx.allocateFloatLocalArray(8 * 8);
        int lx = ctx.localIdx, ly = ctx.localIdy;
        int gx = ctx.globalIdx, gy = ctx.globalIdy;
        tile[ly * 8 + lx] = in.get((long) gy * width + gx);
        ctx.localBarrier();
        int tx = ctx.groupIdy * 8 + lx, ty = ctx.groupIdx * 8 + ly;
        out.set((long) ty * ctx.globalGroupSizeY + tx, tile[lx * 8 + ly] + ctx.localGroupSizeY * 0.5f);
    }

    /** KernelContext in 3D: per work-group sums over z through a local array, two barriers. */
    public static void context3d(KernelContext ctx, IntArray out) {
        int[] part = ctx.allocateIntLocalArray(4 * 4 * 2);
        int lid = (ctx.localIdz * ctx.localGroupSizeY + ctx.localIdy) * ctx.localGroupSizeX + ctx.localIdx;
        part[lid] = ctx.globalIdx + 10 * ctx.globalIdy + 100 * ctx.globalIdz;
        ctx.localBarrier();
        if (ctx.localIdz == 0) {
            part[lid] += part[lid + ctx.localGroupSizeX * ctx.localGroupSizeY];
        }
        ctx.localBarrier();
        if (ctx.localIdz == 0) {
            long at = ((long) ctx.globalIdy * ctx.globalGroupSizeX + ctx.globalIdx) * 2;
            out.set(at, part[lid]);
            out.set(at + 1, ctx.groupIdz * 1000 + ctx.globalGroupSizeZ * 100 + ctx.localGroupSizeZ);
        }
    }

    /** A post-increment in a loop condition: the comparison reads the old value (found by JitFuzzTest). */
    public static void postIncrementInCondition(IntArray in, IntArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            int k = in.get(i) & 7;
            int count = 0;
            while (k-- > 0) {
                count++;
            }
            int j = in.get(i) & 3;
            int last = j++ + j++;
            out.set(2L * i, count * 100 + k);
            out.set(2L * i + 1, last * 10 + j);
        }
    }

    /** Math.floor / ceil of NaN, infinities, huge values, -0.5 (-0.0); a ceil of a NaN in a max (found by JitFuzzTest). */
    public static void floorAndCeil(FloatArray in, IntArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            double d = (double) in.get(i) / 3.0;
            long o = 8L * i;
            putLong(out, o, bitsD(Math.max(-(d + d), Math.ceil(d / Double.NaN))));
            putLong(out, o + 2, bitsD(Math.floor(d)));
            putLong(out, o + 4, bitsD(Math.ceil(d * 1e300)));
            putLong(out, o + 6, bitsD(Math.ceil(d) + Math.floor(-d)));
        }
    }

    /** Division by zero: Java throws ArithmeticException; a device gives 0 (jit-java.h). */
    public static void divideByZero(IntArray in, IntArray out) {
        int a = in.get(0), b = in.get(1);
        out.set(0, a / b);
        out.set(1, a % b);
        out.set(2, (int) ((long) a / (long) b));
        out.set(3, (int) ((long) a % (long) b));
    }
}
