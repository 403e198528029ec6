package ditvm.jit;

/**
 * The types a kernel's values have in the generated C: the four Java stack types, the three
 * vector widths, and the compile-time-only references (arrays, the KernelContext, comparisons
 * waiting for their branch).
 */
enum JType {
    INT("int"), LONG("jlong"), FLOAT("float"), DOUBLE("double"),
    VEC4("jfloat4"), VEC8("jfloat8"), VEC16("jfloat16"),
    ARRAY(null), CONTEXT(null), COMPARE(null);

    final String c;

    JType(String c) {
        this.c = c;
    }

    /** Takes two stack slots (long, double). */
    boolean wide() {
        return this == LONG || this == DOUBLE;
    }

    /** Has a C variable type (else it lives only in the compiler). */
    boolean inC() {
        return c != null;
    }

    /** Variable-name prefix. */
    String prefix() {
        return switch (this) {
            case INT -> "i";
            case LONG -> "l";
            case FLOAT -> "f";
            case DOUBLE -> "d";
            case VEC4 -> "v4_";
            case VEC8 -> "v8_";
            case VEC16 -> "v16_";
            default -> throw new IllegalStateException(name() + " has no C variable");
        };
    }

    static JType vector(int width) {
        return switch (width) {
            case 4 -> VEC4;
            case 8 -> VEC8;
            case 16 -> VEC16;
            default -> throw new IllegalArgumentException("no vector of width " + width);
        };
    }

    int width() {
        return switch (this) {
            case VEC4 -> 4;
            case VEC8 -> 8;
            case VEC16 -> 16;
            default -> 1;
        };
    }
}
