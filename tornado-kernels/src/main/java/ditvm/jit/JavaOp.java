package ditvm.jit;

import ditvm.api.KernelContext;
import ditvm.kernel.Args;
import ditvm.kernel.Kernel;
import ditvm.kernel.KernelSources;
import ditvm.kernel.Launch;
import ditvm.kernel.Param;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/**
 * An operation's descriptor whose kernel is a Java method: the few lines a method cannot say
 * itself (parameters with their least lengths, shape rules, the launch, the cost model) beside
 * the method they describe. The task's arguments are the method's without its KernelContext
 * (the descriptor's launch gives the work sizes) and without the parameters the descriptor
 * fixes ({@code constants}: the method is compiled with them folded in, and the java device
 * passes them).
 */
public abstract class JavaOp implements Kernel {
    private final JavaKernel kernel;
    private final String name;
    private final List<Param> params;
    private final Class<?>[] types;
    private final String[] names;
    private final Map<String, Integer> constants;

    /**
     * The operation {@code name} with the task parameters {@code params}, whose kernel is the public
     * static void method {@code method} of {@code owner} (unique among them), {@code constants} fixed.
     */
    protected JavaOp(Class<?> owner, String method, String name, List<Param> params, Map<String, Integer> constants) {
        Method m = null;
        for (Method c : owner.getMethods()) {
            if (c.getName().equals(method) && c.getDeclaringClass() == owner && c.getReturnType() == void.class) {
                if (m != null) {
                    throw new IllegalArgumentException(owner.getName() + "." + method + " is overloaded; a kernel's name is unique");
                }
                m = c;
            }
        }
        if (m == null) {
            throw new IllegalArgumentException(owner.getName() + " has no public method " + method);
        }
        this.kernel = JavaKernel.of(m, constants);
        this.name = name;
        this.params = List.copyOf(params);
        this.types = m.getParameterTypes();
        this.names = new String[types.length];
        for (int i = 0; i < types.length; i++) {
            names[i] = m.getParameters()[i].getName();
        }
        this.constants = Map.copyOf(constants);
    }

    protected JavaOp(Class<?> owner, String method, String name, List<Param> params) {
        this(owner, method, name, params, Map.of());
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<Param> params() {
        return params;
    }

    /** The compiled method. */
    public final JavaKernel javaKernel() {
        return kernel;
    }

    /** The method's arguments: the task's, with a KernelContext and the fixed constants put in their places. */
    final Args methodArgs(Args taskArgs) {
        List<Object> out = new ArrayList<>(types.length);
        int next = 0;
        for (int i = 0; i < types.length; i++) {
            if (types[i] == KernelContext.class) {
                out.add(new KernelContext());
            } else if (constants.containsKey(names[i])) {
                out.add(constants.get(names[i]));
            } else {
                out.add(taskArgs.get(next++));
            }
        }
        return new Args(out);
    }

    @Override
    public final String entryPoint() {
        return kernel.entryPoint();
    }

    @Override
    public final String sourceFile() {
        return kernel.sourceFile();
    }

    @Override
    public final String programText(KernelSources.Target target) {
        return kernel.programText(target);
    }

    @Override
    public final String buildOptions(KernelSources.Target target) {
        return kernel.buildOptions(target);
    }

    @Override
    public final List<Object> nativeArguments(Args deviceArgs) {
        return kernel.nativeArguments(methodArgs(deviceArgs));
    }

    /** The launch of a @Parallel kernel: from its loops' bounds. KernelContext kernels' descriptors give theirs. */
    @Override
    public Launch launch(Args args) {
        return kernel.launch(methodArgs(args));
    }

    /** One unit: the java device runs the method through {@link #runInJvm}. */
    @Override
    public final long parallelism(Args args) {
        return 1;
    }

    @Override
    public final void reference(Args args, long from, long to) {
        throw new UnsupportedOperationException(name() + " is a Java kernel: the java device runs " + kernel.method());
    }

    /** The method itself on the JVM, with this launch's work sizes. */
    public final void runInJvm(Args args, Launch launch, ForkJoinPool pool) {
        kernel.runInJvm(methodArgs(args), launch, pool);
    }
}
