package ditvm.jit;

/**
 * A Java kernel method that the JIT refuses: outside the kernel subset, or not a kernel at
 * all. One line naming the class, the method, the source line and the construct.
 */
public final class KernelCompileException extends IllegalArgumentException {
    public KernelCompileException(String where, String problem) {
        super(where + ": " + problem);
    }
}
