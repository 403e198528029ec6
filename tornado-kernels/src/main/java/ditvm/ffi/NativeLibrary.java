package ditvm.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * A shared library found by name at run time (the OpenCL ICD loader, the CUDA driver), and
 * downcall handles to its functions. A library or symbol that is absent gives a null handle,
 * so a backend can report "not available" instead of failing to load.
 */
public final class NativeLibrary {
    private static final Linker LINKER = Linker.nativeLinker();

    private final Optional<SymbolLookup> lookup;

    private NativeLibrary(Optional<SymbolLookup> lookup) {
        this.lookup = lookup;
    }

    /** The first of {@code names} the dynamic loader finds (e.g. "libOpenCL.so.1", "libOpenCL.so"). */
    public static NativeLibrary load(String... names) {
        for (String name : names) {
            try {
                return new NativeLibrary(Optional.of(SymbolLookup.libraryLookup(name, Arena.global())));
            } catch (IllegalArgumentException e) {
                // not found under this name: try the next
            }
        }
        return new NativeLibrary(Optional.empty());
    }

    public boolean loaded() {
        return lookup.isPresent();
    }

    /** The first of {@code names} the library exports, as {@code result(args)}; null when none is. */
    public MethodHandle downcall(String[] names, MemoryLayout result, MemoryLayout... args) {
        if (lookup.isEmpty()) {
            return null;
        }
        for (String name : names) {
            Optional<MemorySegment> s = lookup.get().find(name);
            if (s.isPresent()) {
                return LINKER.downcallHandle(s.get(), FunctionDescriptor.of(result, args));
            }
        }
        return null;
    }

    public MethodHandle downcall(String name, MemoryLayout result, MemoryLayout... args) {
        return downcall(new String[] {name}, result, args);
    }

    /** What a failed {@code invokeExact} threw, as an unchecked exception to rethrow. */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
