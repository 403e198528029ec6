package ditvm.jit;

import ditvm.kernel.KernelSources;
import java.lang.classfile.MethodModel;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole C program of one kernel: its method and every static method it calls (each
 * specialised for the memory spaces of its array arguments, callees before callers, no
 * recursion), and what the program needs from the prelude (doubles, barriers).
 */
final class Program {
    private final ClassLoader loader;
    private final List<Translator.Function> functions = new ArrayList<>();
    private final Map<String, Translator.Function> helpers = new HashMap<>();
    private final Set<String> inProgress = new LinkedHashSet<>();
    private final Set<String> names = new java.util.HashSet<>();
    private boolean usesDouble;
    private boolean usesBarrier;

    private Program(ClassLoader loader) {
        this.loader = loader;
    }

    /** The translated kernel: C functions (target-neutral), the entry's name and what the launch needs to know. */
    record Compiled(String entryPoint, String functions, List<ParallelLoops.Loop> loops, boolean usesContext,
                    boolean usesBarrier, boolean usesDouble, long translateNanos) {

        /** The full program text for a target: the target's prelude, the JIT prelude, the functions. */
        String text(KernelSources.Target target) {
            StringBuilder sb = new StringBuilder(KernelSources.prelude(target));
            if (usesDouble) {
                sb.append(target == KernelSources.Target.OPENCL ? "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n" : "")
                        .append("#define J_USES_DOUBLE 1\n");
            }
            sb.append(KernelSources.read("jit-java.h")).append('\n').append(functions);
            return sb.toString();
        }
    }

    static Compiled compile(Method m) {
        return compile(m, Map.of());
    }

    /**
     * Translates kernel {@code m} with some int parameters fixed: each named parameter reads as
     * its constant (its argument is still passed), so the C compiler folds the branches on it.
     */
    static Compiled compile(Method m, Map<String, Integer> constants) {
        long t0 = System.nanoTime();
        ClassLoader loader = m.getDeclaringClass().getClassLoader();
        Program p = new Program(loader != null ? loader : ClassLoader.getSystemClassLoader());
        ClassBytes cls = ClassBytes.of(m.getDeclaringClass());
        MethodModel mm = cls.method(m.getName(), java.lang.invoke.MethodType.methodType(void.class, m.getParameterTypes())
                .toMethodDescriptorString());
        StringBuilder suffix = new StringBuilder();
        new java.util.TreeMap<>(constants).forEach((k, v) -> suffix.append('_').append(k).append(v < 0 ? "m" + -v : v));
        String entry = p.uniqueName(cName(m.getDeclaringClass(), m.getName()) + suffix);
        Map<Integer, Integer> fixed = new HashMap<>();
        java.lang.reflect.Parameter[] params = m.getParameters();
        for (Map.Entry<String, Integer> c : constants.entrySet()) {
            int index = -1;
            for (int i = 0; i < params.length; i++) {
                if (params[i].getName().equals(c.getKey())) {
                    index = i;
                }
            }
            if (index < 0 || params[index].getType() != int.class) {
                throw new IllegalArgumentException(m + " has no int parameter '" + c.getKey() + "' to fix (compiled with -parameters?)");
            }
            fixed.put(index, c.getValue());
        }
        p.inProgress.add(key(cls.type().getName(), m.getName(), mm.methodType().stringValue(), List.of()));
        Translator t = new Translator(p, cls, mm, entry, true, List.of());
        t.fixParameters(fixed);
        Translator.Function f = t.translate();
        p.functions.add(f);
        StringBuilder text = new StringBuilder();
        for (Translator.Function fn : p.functions) {
            text.append('\n').append(fn.text());
        }
        return new Compiled(entry, text.toString(), t.loops(), t.usesContext(), p.usesBarrier, p.usesDouble,
                System.nanoTime() - t0);
    }

    ClassLoader loader() {
        return loader;
    }

    void usesDouble() {
        usesDouble = true;
    }

    void usesBarrier() {
        usesBarrier = true;
    }

    /** The C function of static method {@code owner.name desc} with array arguments in {@code spaces}; translated on first use. */
    Translator.Function helper(String owner, String name, String desc, List<ArrayRef.Space> spaces, String callerWhere) {
        String binary = owner.replace('/', '.');
        String key = key(binary, name, desc, spaces);
        Translator.Function f = helpers.get(key);
        if (f != null) {
            return f;
        }
        if (inProgress.contains(key) || inProgress.stream().anyMatch(k -> k.startsWith(binary + "." + name + desc + "|"))) {
            throw new KernelCompileException(callerWhere, "recursion (the call to " + binary + "." + name
                    + " reaches itself) is outside the kernel subset");
        }
        Class<?> c;
        try {
            c = Class.forName(binary, false, loader);
        } catch (ClassNotFoundException e) {
            throw new KernelCompileException(callerWhere, "the called class " + binary + " cannot be loaded");
        }
        ClassBytes cls = ClassBytes.of(c);
        MethodModel mm = cls.method(name, desc);
        inProgress.add(key);
        try {
            f = new Translator(this, cls, mm, uniqueName(cName(c, name)), false, spaces).translate();
        } finally {
            inProgress.remove(key);
        }
        helpers.put(key, f);
        functions.add(f);
        return f;
    }

    private static String key(String owner, String name, String desc, List<ArrayRef.Space> spaces) {
        return owner + "." + name + desc + "|" + spaces;
    }

    private String uniqueName(String base) {
        String n = base;
        for (int i = 2; !names.add(n); i++) {
            n = base + "_" + i;
        }
        return n;
    }

    /** A C identifier for {@code Class.method}: the class's simple name (nested names joined by _) and the method. */
    static String cName(Class<?> c, String method) {
        String simple = c.getName().substring(c.getName().lastIndexOf('.') + 1);
        return (simple + "_" + method).replaceAll("[^A-Za-z0-9_]", "_");
    }
}
