package ditvm.jit;

/**
 * An array a kernel names: a FloatArray / IntArray parameter (global memory, {@code length} a
 * hidden parameter), a work-group array from the KernelContext (local memory) or a
 * {@code new float[8]} of the method (private memory). Known at compile time: a local variable
 * holds one array for the whole method.
 */
record ArrayRef(String name, JType element, Space space, String length) {

    enum Space {
        GLOBAL("GLOBAL"), LOCAL("LOCAL_PTR"), PRIVATE("");

        final String qualifier;

        Space(String qualifier) {
            this.qualifier = qualifier;
        }
    }

    /** The C type of a pointer parameter to this array. */
    String pointerType() {
        return (space.qualifier.isEmpty() ? "" : space.qualifier + " ") + element.c + "*";
    }
}
