package ditvm.jit;

/**
 * One operand-stack entry during translation: a C expression of a type, free of side effects
 * (anything that reads memory or calls is first put in a temporary), or a compile-time
 * reference: an array, the KernelContext, or a comparison (lcmp, fcmpl, ...) that the next
 * branch turns into a C condition.
 */
record Value(JType type, String expr, ArrayRef array, Compare compare) {

    private static final java.util.regex.Pattern SIMPLE =
            java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*|-?[0-9][0-9A-Za-z.+\\-]*");

    static Value of(JType type, String expr) {
        return new Value(type, expr, null, null);
    }

    static Value array(ArrayRef a) {
        return new Value(JType.ARRAY, a.name(), a, null);
    }

    static final Value CONTEXT = new Value(JType.CONTEXT, "ctx", null, null);

    /** {@code nan}: what the comparison gives when an operand is NaN: -1 (fcmpl), +1 (fcmpg), 0 (lcmp, no NaN). */
    record Compare(Value a, Value b, int nan) {
    }

    boolean wide() {
        return type.wide();
    }

    /** A name or literal: copying it costs nothing and it cannot change under a later statement but a store to it. */
    boolean simple() {
        return SIMPLE.matcher(expr).matches();
    }

    /** An int literal's value, or null. */
    Integer intConstant() {
        if (type != JType.INT) {
            return null;
        }
        try {
            return Integer.parseInt(expr);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
