package ditvm.kernel;

import java.util.List;

/**
 * A kernel descriptor: the entry point in a portable source file, typed parameters, launch
 * geometry, a cost model and the plain Java reference that is both the test oracle and the
 * kernel body of the {@code java} device.
 */
public interface Kernel {

    /** The kernel's name in errors and profiles. */
    String name();

    /** The function to launch in the source file. */
    default String entryPoint() {
        return name();
    }

    /** File under {@code kernels/} on the class path, in the OpenCL C / CUDA common subset. */
    String sourceFile();

    List<Param> params();

    /** Shape rules beyond array lengths; throws {@link IllegalArgumentException} saying what is wrong. */
    default void checkShapes(Args args) {
    }

    /** NDRange for one launch. */
    Launch launch(Args args);

    Cost cost(Args args);

    /** Independent units of work of the Java reference (the range {@link #reference} splits). */
    long parallelism(Args args);

    /** Runs units [from, to) of the Java reference; units write disjoint outputs. */
    void reference(Args args, long from, long to);

    /** Extra compiler options (both targets), e.g. {@code -DTILE=32}. */
    default String buildOptions() {
        return "";
    }

    /** The full program text for {@code target}: the prelude and the source file, includes inlined. */
    default String programText(KernelSources.Target target) {
        return KernelSources.program(target, sourceFile());
    }

    /** Compiler options for {@code target}: {@link #buildOptions()} unless a kernel needs per-target ones. */
    default String buildOptions(KernelSources.Target target) {
        return buildOptions();
    }

    /**
     * The values passed to the compiled kernel, in its C parameter order, from the task's
     * arguments with arrays already replaced by device buffers: the same list for hand-written
     * kernels; Java kernels add each array's length and drop the KernelContext.
     */
    default List<Object> nativeArguments(Args deviceArgs) {
        return deviceArgs.values();
    }

    /** Runs the whole Java reference on the calling thread. */
    default void runReference(Args args) {
        reference(args, 0, parallelism(args));
    }
}
