package ditvm.api;

/**
 * Math for kernels in float and double, with Java's results on the {@code java} device and
 * the device's built-ins elsewhere (OpenCL C 1.2 accuracy: exp, log, pow, sin, cos, tanh
 * within a few ulp; sqrt correctly rounded; fma exact; min, max with Java's NaN and -0.0 rules).
 */
public final class KernelMath {
    private KernelMath() {
    }

    public static float exp(float x) {
        return (float) Math.exp(x);
    }

    public static double exp(double x) {
        return Math.exp(x);
    }

    public static float log(float x) {
        return (float) Math.log(x);
    }

    public static double log(double x) {
        return Math.log(x);
    }

    public static float sqrt(float x) {
        return (float) Math.sqrt(x);
    }

    public static double sqrt(double x) {
        return Math.sqrt(x);
    }

    public static float rsqrt(float x) {
        return (float) (1.0 / Math.sqrt(x));
    }

    public static double rsqrt(double x) {
        return 1.0 / Math.sqrt(x);
    }

    public static float tanh(float x) {
        return (float) Math.tanh(x);
    }

    public static double tanh(double x) {
        return Math.tanh(x);
    }

    public static float sin(float x) {
        return (float) Math.sin(x);
    }

    public static double sin(double x) {
        return Math.sin(x);
    }

    public static float cos(float x) {
        return (float) Math.cos(x);
    }

    public static double cos(double x) {
        return Math.cos(x);
    }

    public static float pow(float x, float y) {
        return (float) Math.pow(x, y);
    }

    public static double pow(double x, double y) {
        return Math.pow(x, y);
    }

    /** x * y + z with one rounding. */
    public static float fma(float x, float y, float z) {
        return Math.fma(x, y, z);
    }

    public static double fma(double x, double y, double z) {
        return Math.fma(x, y, z);
    }

    public static float min(float a, float b) {
        return Math.min(a, b);
    }

    public static double min(double a, double b) {
        return Math.min(a, b);
    }

    public static int min(int a, int b) {
        return Math.min(a, b);
    }

    public static float max(float a, float b) {
        return Math.max(a, b);
    }

    public static double max(double a, double b) {
        return Math.max(a, b);
    }

    public static int max(int a, int b) {
        return Math.max(a, b);
    }

    public static float abs(float a) {
        return Math.abs(a);
    }

    public static double abs(double a) {
        return Math.abs(a);
    }

    public static int abs(int a) {
        return Math.abs(a);
    }

    /** min(max(x, lo), hi). */
    public static float clamp(float x, float lo, float hi) {
        return Math.min(Math.max(x, lo), hi);
    }

    public static double clamp(double x, double lo, double hi) {
        return Math.min(Math.max(x, lo), hi);
    }

    public static int clamp(int x, int lo, int hi) {
        return Math.min(Math.max(x, lo), hi);
    }
}
