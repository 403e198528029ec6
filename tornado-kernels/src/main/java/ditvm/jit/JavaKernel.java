package ditvm.jit;

import ditvm.api.KernelContext;
import ditvm.device.DeviceSession.DeviceBuffer;
import ditvm.kernel.Args;
import ditvm.kernel.Cost;
import ditvm.kernel.Kernel;
import ditvm.kernel.KernelSources;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import ditvm.memory.DeviceArray;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;

/**
 * A task whose kernel is a Java method: TornadoVM's way. The method is translated to C once,
 * when the first task names it (so a construct outside the subset is refused right there), and
 * the program text for each target is cached by the class bytes' SHA-256, method and target.
 * The launch comes from the @Parallel loops' bounds, or for a KernelContext kernel from the
 * plan's GridScheduler. The {@code java} device runs the very same method ({@link JvmRunner}).
 *
 * <p>On a device, the arrays are passed with their lengths (for {@code length()}), the
 * KernelContext is not passed at all, and array indices are not bounds-checked.
 */
public final class JavaKernel implements Kernel {
    private static final Map<Object, JavaKernel> KERNELS = new ConcurrentHashMap<>();
    private static final Map<String, String> SOURCES = new ConcurrentHashMap<>();

    private final Method method;
    private final Program.Compiled compiled;
    private final String sourceKey;
    private final Class<?>[] types;
    private final String[] names; // of the parameters, for errors
    private volatile JvmRunner runner;

    private JavaKernel(Method method, Map<String, Integer> constants) {
        this.method = method;
        this.types = method.getParameterTypes();
        for (Class<?> t : types) {
            if (!(t == FloatArray.class || t == IntArray.class || t == KernelContext.class || t.isPrimitive())) {
                throw new KernelCompileException(method.getDeclaringClass().getName() + "." + method.getName(),
                        "a kernel parameter of type " + t.getSimpleName()
                                + " is outside the kernel subset (FloatArray, IntArray, KernelContext, primitives)");
            }
        }
        this.compiled = Program.compile(method, constants);
        ClassBytes cls = ClassBytes.of(method.getDeclaringClass());
        this.names = method.getParameters().length > 0 && method.getParameters()[0].isNamePresent()
                ? java.util.Arrays.stream(method.getParameters()).map(java.lang.reflect.Parameter::getName).toArray(String[]::new)
                : cls.parameterNames(cls.method(method.getName(), java.lang.invoke.MethodType.methodType(void.class, types)
                        .toMethodDescriptorString())); // without javac -parameters: the debug info's names
        this.sourceKey = cls.sha256() + "|" + method + "|" + new java.util.TreeMap<>(constants);
    }

    /** The kernel of a public static void method; translated on the first call, then shared by every task. */
    public static JavaKernel of(Method method) {
        return of(method, Map.of());
    }

    /**
     * The kernel of {@code method} specialised with some int parameters fixed (by name; their
     * arguments are still passed and checked): e.g. a GEMM's epilogue, so one Java method gives
     * the four epilogue kernels the C sources made with {@code -DEPILOGUE=n}.
     */
    public static JavaKernel of(Method method, Map<String, Integer> constants) {
        Object key = List.of(method, Map.copyOf(constants));
        JavaKernel k = KERNELS.get(key);
        if (k == null) {
            k = new JavaKernel(method, constants);
            JavaKernel raced = KERNELS.putIfAbsent(key, k);
            k = raced != null ? raced : k;
        }
        return k;
    }

    public Method method() {
        return method;
    }

    /** Nanoseconds the bytecode-to-C translation took (the whole call graph). */
    public long translateNanos() {
        return compiled.translateNanos();
    }

    /** Translates {@code method} again, bypassing every cache: the JIT's own time, for benchmarks. */
    public static long translateUncachedNanos(Method method) {
        return Program.compile(method).translateNanos();
    }

    boolean usesContext() {
        return compiled.usesContext();
    }

    boolean usesBarrier() {
        return compiled.usesBarrier();
    }

    List<ParallelLoops.Loop> loops() {
        return compiled.loops();
    }

    @Override
    public String name() {
        return method.getName();
    }

    @Override
    public String entryPoint() {
        return compiled.entryPoint();
    }

    @Override
    public String sourceFile() {
        return "java:" + method.getDeclaringClass().getName() + "." + method.getName();
    }

    @Override
    public String programText(KernelSources.Target target) {
        return SOURCES.computeIfAbsent(sourceKey + "|" + target, k -> compiled.text(target));
    }

    @Override
    public String buildOptions(KernelSources.Target target) {
        return target == KernelSources.Target.OPENCL ? "-cl-fp32-correctly-rounded-divide-sqrt" : "";
    }

    @Override
    public List<Param> params() {
        List<Param> out = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            out.add(new Param(names[i], paramType(types[i]), a -> 0));
        }
        return out;
    }

    private static Param.Type paramType(Class<?> t) {
        if (t == FloatArray.class) {
            return Param.Type.FLOATS;
        } else if (t == IntArray.class) {
            return Param.Type.INTS;
        } else if (t == KernelContext.class) {
            return Param.Type.CONTEXT;
        } else if (t == long.class) {
            return Param.Type.LONG;
        } else if (t == float.class) {
            return Param.Type.FLOAT;
        } else if (t == double.class) {
            return Param.Type.DOUBLE;
        }
        return Param.Type.INT; // int, and boolean/byte/short/char passed as int
    }

    /**
     * Checks a task's arguments against the method's parameters: count and type (boxed
     * primitives with Java's widening: an Integer for a long parameter is fine); the error names
     * the graph, task, parameter and both types.
     */
    public void checkArguments(String graph, String task, Args args) {
        String where = "task " + graph + "." + task + " (kernel " + method.getDeclaringClass().getName() + "."
                + method.getName() + ")";
        if (args.size() != types.length) {
            throw new IllegalArgumentException(where + ": expected " + types.length + " arguments, given " + args.size());
        }
        for (int i = 0; i < types.length; i++) {
            Object v = args.get(i);
            if (convert(types[i], v) == null) {
                throw new IllegalArgumentException(where + ": parameter " + i + " '" + names[i]
                        + "' is " + types[i].getSimpleName() + ", given "
                        + (v == null ? "null" : v.getClass().getSimpleName() + " " + v));
            }
        }
    }

    /** {@code v} as the parameter type wants it (boxed), or null when Java would not pass it (unboxing, then widening). */
    static Object convert(Class<?> t, Object v) {
        if (v == null) {
            return null;
        }
        if (!t.isPrimitive()) {
            return t.isInstance(v) ? v : null;
        }
        Class<?> from = switch (v) {
            case Boolean z -> boolean.class;
            case Byte b -> byte.class;
            case Short sh -> short.class;
            case Character c -> char.class;
            case Integer i -> int.class;
            case Long l -> long.class;
            case Float f -> float.class;
            case Double d -> double.class;
            default -> null;
        };
        if (from == null || !(from == t || WIDENING.getOrDefault(from, List.of()).contains(t))) {
            return null;
        }
        if (v instanceof Boolean || v instanceof Character) {
            return t == boolean.class || t == char.class ? v : convert(t, (int) (Character) v);
        }
        Number n = (Number) v;
        return t == byte.class ? n.byteValue() : t == short.class ? n.shortValue() : t == int.class ? n.intValue()
                : t == long.class ? n.longValue() : t == float.class ? n.floatValue() : (Object) n.doubleValue();
    }

    /** JLS 5.1.2: the primitive types each primitive type widens to. */
    private static final Map<Class<?>, List<Class<?>>> WIDENING = Map.of(
            byte.class, List.of(short.class, int.class, long.class, float.class, double.class),
            short.class, List.of(int.class, long.class, float.class, double.class),
            char.class, List.of(int.class, long.class, float.class, double.class),
            int.class, List.of(long.class, float.class, double.class),
            long.class, List.of(float.class, double.class),
            float.class, List.of(double.class));

    /** The values the C kernel takes: each array with its length after it, no KernelContext, scalars as C types. */
    @Override
    public List<Object> nativeArguments(Args deviceArgs) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            Object v = deviceArgs.get(i);
            Class<?> t = types[i];
            if (t == KernelContext.class) {
                continue;
            }
            if (v instanceof DeviceBuffer b) {
                out.add(b);
                out.add(b.length());
            } else {
                Object c = convert(t, v);
                out.add(switch (c) {
                    case Boolean z -> z ? 1 : 0;
                    case Character ch -> (int) ch;
                    case Short s -> (int) s;
                    case Byte b -> (int) b;
                    default -> c;
                });
            }
        }
        return out;
    }

    @Override
    public Launch launch(Args args) {
        if (compiled.usesContext()) {
            throw new IllegalArgumentException("kernel " + name() + " takes a KernelContext: give its work sizes with "
                    + "GridScheduler.set(graph, task, Launch.grid(global, local))");
        }
        List<ParallelLoops.Loop> loops = compiled.loops();
        if (loops.isEmpty()) {
            return new Launch(new long[] {1}, new long[] {1});
        }
        long[] items = new long[loops.size()];
        for (ParallelLoops.Loop l : loops) {
            items[l.dim()] = Math.max(1, iterations(l, args));
        }
        long[] local = switch (items.length) {
            case 1 -> new long[] {256};
            case 2 -> new long[] {32, 8};
            default -> new long[] {16, 4, 4};
        };
        for (int d = 0; d < items.length; d++) {
            local[d] = Math.min(local[d], Long.highestOneBit(items[d] * 2 - 1)); // no wider than the range needs
        }
        return Launch.grid(items, local);
    }

    /**
     * Checks that a launch given by a GridScheduler covers every iteration of the @Parallel
     * loops (each work-item runs one iteration of each), else says which dimension falls short.
     */
    public void checkLaunch(Args args, Launch launch) {
        for (ParallelLoops.Loop l : compiled.loops()) {
            long items = l.dim() < launch.dimensions() ? launch.global()[l.dim()] : 1;
            long need = iterations(l, args);
            if (items < need) {
                throw new IllegalArgumentException("kernel " + name() + ": the NDRange " + launch + " has " + items
                        + " work-items in dimension " + l.dim() + ", but its @Parallel loop makes " + need + " iterations");
            }
        }
    }

    /** How many iterations loop {@code l} makes for these arguments. */
    static long iterations(ParallelLoops.Loop l, Args args) {
        long bound = switch (l.bound().kind()) {
            case CONSTANT -> l.bound().value();
            case INT_PARAMETER -> ((Number) args.get(l.bound().value())).longValue();
            case ARRAY_LENGTH -> ((DeviceArray) args.get(l.bound().value())).length();
        };
        bound = Math.min(bound, Integer.MAX_VALUE);
        return bound <= l.start() ? 0 : (bound - l.start() + l.step() - 1) / l.step();
    }

    @Override
    public Cost cost(Args args) {
        return Cost.ZERO;
    }

    /** One unit: the java device runs a Java kernel through {@link #runInJvm}, not through this. */
    @Override
    public long parallelism(Args args) {
        return 1;
    }

    @Override
    public void reference(Args args, long from, long to) {
        throw new UnsupportedOperationException("a Java kernel runs on the java device through JavaKernel.runInJvm");
    }

    /** Runs the method itself on the JVM: @Parallel loops split over the pool, KernelContext kernels per work-group. */
    public void runInJvm(Args args, Launch launch, ForkJoinPool pool) {
        JvmRunner r = runner;
        if (r == null) {
            synchronized (this) {
                if (runner == null) {
                    runner = new JvmRunner(this);
                }
                r = runner;
            }
        }
        r.run(args, launch, pool);
    }

    @Override
    public String toString() {
        return "JavaKernel " + method;
    }
}
