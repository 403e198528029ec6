package ditvm.graph;

import ditvm.jit.JavaKernel;
import ditvm.kernel.Args;
import ditvm.kernel.Kernel;
import ditvm.kernel.Param;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;
import java.util.List;

/** Checks a task's arguments against its kernel's declared parameters, when the task is added. */
final class ArgumentChecker {

    private ArgumentChecker() {
    }

    static void check(String graph, String taskId, Kernel kernel, Args args) {
        if (kernel instanceof JavaKernel jk) {
            jk.checkArguments(graph, taskId, args);
            return;
        }
        List<Param> params = kernel.params();
        String where = "task " + graph + "." + taskId + " (kernel " + kernel.name() + ")";
        if (args.size() != params.size()) {
            throw new IllegalArgumentException(where + ": expected " + params.size() + " arguments "
                    + params.stream().map(Param::name).toList() + ", given " + args.size());
        }
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            Object v = args.get(i);
            if (!matches(p.type(), v)) {
                throw new IllegalArgumentException(where + ": parameter " + i + " '" + p.name() + "' expects "
                        + p.type().javaName() + ", given " + describe(v));
            }
            if (p.type() == Param.Type.INT && (Integer) v < 0) {
                throw new IllegalArgumentException(where + ": parameter '" + p.name() + "' must be >= 0, given " + v);
            }
        }
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            if (p.type().isArray()) {
                long need = p.minLength().applyAsLong(args);
                long have = args.array(i).length();
                if (have < need) {
                    throw new IllegalArgumentException(where + ": parameter '" + p.name() + "' needs at least "
                            + need + " elements for the given sizes, given an array of " + have);
                }
            }
        }
        try {
            kernel.checkShapes(args);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static boolean matches(Param.Type type, Object v) {
        return switch (type) {
            case FLOATS -> v instanceof FloatArray;
            case INTS -> v instanceof IntArray;
            case INT -> v instanceof Integer;
            case FLOAT -> v instanceof Float;
            case LONG -> v instanceof Long;
            case DOUBLE -> v instanceof Double;
            case CONTEXT -> v instanceof ditvm.api.KernelContext;
        };
    }

    private static String describe(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName() + " " + v;
    }
}
