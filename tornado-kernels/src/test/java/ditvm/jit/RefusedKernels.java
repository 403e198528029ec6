package ditvm.jit;

import ditvm.api.Parallel;
import ditvm.memory.DeviceArray;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Kernels outside the subset, one construct each, for {@link JitRefusalTest}; the line the
 * error must name carries a {@code REFUSED:tag} comment (the test reads this file to find it).
 */
public final class RefusedKernels {
    private RefusedKernels() {
    }

    static int counter;
    static final Object LOCK = new Object();

    int field;

    public static void allocation(IntArray out) {
        java.util.Random r = new java.util.Random(3); // REFUSED:new
        out.set(0, r.nextInt());
    }

    public static void throwing(IntArray out, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative"); // REFUSED:throw
        }
        out.set(0, n);
    }

    public static void tryCatch(IntArray out, int n) {
        try {
            out.set(0, 10 / n); // REFUSED:try
        } catch (ArithmeticException e) {
            out.set(0, -1);
        }
    }

    public static synchronized void synchronizedMethod(IntArray out) {
        out.set(0, 1); // REFUSED:syncmethod
    }

    public static void synchronizedBlock(IntArray out) {
        synchronized (LOCK) { // REFUSED:syncblock
            out.set(0, 1);
        }
    }

    public static void instanceField(IntArray out) {
        out.set(0, holder().field); // REFUSED:getfield
    }

    private static RefusedKernels holder() {
        return null;
    }

    public static void readNonFinalStatic(IntArray out) {
        out.set(0, counter); // REFUSED:getstatic
    }

    public static void writeNonFinalStatic(IntArray out) {
        counter = out.get(0); // REFUSED:putstatic
    }

    public static void interfaceCall(FloatArray x, IntArray out) {
        DeviceArray d = x;
        out.set(0, (int) d.length()); // REFUSED:interface
    }

    public static void listCall(IntArray out) {
        List<Integer> l = List.of(); // REFUSED:list
        out.set(0, l.size());
    }

    public static void virtualCall(FloatArray x, IntArray out) {
        out.set(0, x.toArray().length); // REFUSED:virtual
    }

    public static void string(IntArray out) {
        String s = "kernel"; // REFUSED:string
        out.set(0, s.length());
    }

    public static void directRecursion(IntArray out, int n) {
        out.set(0, factorial(n));
    }

    static int factorial(int n) {
        return n <= 1 ? 1 : n * factorial(n - 1); // REFUSED:recursion
    }

    public static void mutualRecursion(IntArray out, int n) {
        out.set(0, even(n) ? 1 : 0);
    }

    static boolean even(int n) {
        return n == 0 || odd(n - 1);
    }

    static boolean odd(int n) {
        return n != 0 && even(n - 1); // REFUSED:mutual
    }

    public static void lambda(IntArray out) {
        IntUnaryOperator f = x -> x + 1; // REFUSED:lambda
        out.set(0, f.applyAsInt(1));
    }

    public static void parallelBreak(IntArray out, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            if (out.get(i) < 0) {
                break; // REFUSED:break
            }
            out.set(i, 1);
        }
    }

    public static void nonConstantArraySize(FloatArray out, int n) {
        float[] tmp = new float[n]; // REFUSED:arraysize
        out.set(0, tmp[0]);
    }

    public static void doubleArray(FloatArray out) {
        double[] tmp = new double[4]; // REFUSED:doublearray
        out.set(0, (float) tmp[0]);
    }

    public static void objectArray(IntArray out) {
        int[][] tmp = new int[2][2]; // REFUSED:objectarray
        out.set(0, tmp[0][0]);
    }

    /** Fine: the wrong-arguments tests pass it the wrong things. */
    public static void saxpy(FloatArray x, FloatArray y, float alpha, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            y.set(i, alpha * x.get(i) + y.get(i));
        }
    }
}
