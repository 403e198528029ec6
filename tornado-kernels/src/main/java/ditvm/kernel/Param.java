package ditvm.kernel;

import java.util.function.ToLongFunction;

/**
 * One declared kernel parameter: its name, its type and, for arrays, the least number of
 * elements it must hold as a function of the call's scalar arguments.
 */
public record Param(String name, Type type, ToLongFunction<Args> minLength) {

    public enum Type {
        FLOATS("FloatArray"), INTS("IntArray"), INT("int"), FLOAT("float"),
        LONG("long"), DOUBLE("double"), CONTEXT("KernelContext");

        private final String javaName;

        Type(String javaName) {
            this.javaName = javaName;
        }

        public boolean isArray() {
            return this == FLOATS || this == INTS;
        }

        public String javaName() {
            return javaName;
        }
    }

    public static Param floats(String name, ToLongFunction<Args> minLength) {
        return new Param(name, Type.FLOATS, minLength);
    }

    public static Param ints(String name, ToLongFunction<Args> minLength) {
        return new Param(name, Type.INTS, minLength);
    }

    public static Param i32(String name) {
        return new Param(name, Type.INT, a -> 0);
    }

    public static Param f32(String name) {
        return new Param(name, Type.FLOAT, a -> 0);
    }
}
