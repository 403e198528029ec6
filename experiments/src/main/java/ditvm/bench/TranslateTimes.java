package ditvm.bench;

import ditvm.jit.JavaKernel;
import ditvm.jit.JavaOp;
import ditvm.kernel.Kernel;
import ditvm.kernels.Gemm;
import ditvm.kernels.Kernels;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JIT's bytecode-to-C time for every Java kernel of the model ({@link Kernels}' descriptors),
 * in a warm JVM: per kernel method, 100 uncached translations first (the JIT's own code then
 * runs compiled, as in a long-lived process), then the median of 9, in ms.
 */
public final class TranslateTimes {
    private TranslateTimes() {
    }

    /** Kernel method ("Class.method") to its median warm translation time, ms. */
    public static Map<String, Double> all() {
        Map<String, Method> methods = new LinkedHashMap<>();
        for (Kernel k : descriptors()) {
            if (k instanceof JavaOp op) {
                Method m = op.javaKernel().method();
                methods.putIfAbsent(m.getDeclaringClass().getSimpleName() + "." + m.getName(), m);
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        methods.forEach((name, m) -> {
            for (int w = 0; w < 100; w++) {
                JavaKernel.translateUncachedNanos(m);
            }
            double[] t = new double[9];
            for (int r = 0; r < t.length; r++) {
                t[r] = JavaKernel.translateUncachedNanos(m) / 1e6;
            }
            out.put(name, new Timings(t).median());
        });
        return out;
    }

    private static java.util.List<Kernel> descriptors() {
        java.util.List<Kernel> all = new java.util.ArrayList<>();
        try {
            for (Field f : Kernels.class.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && Kernel.class.isAssignableFrom(f.getType())) {
                    all.add((Kernel) f.get(null));
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        for (Gemm.Impl impl : Gemm.Impl.values()) {
            for (Gemm.Epilogue e : Gemm.Epilogue.values()) {
                all.add(Kernels.gemm(impl, e));
            }
        }
        return all;
    }
}
