package ditvm.cli;

import ditvm.opencl.PrecompiledException;
import java.io.FileNotFoundException;
import java.nio.file.NoSuchFileException;

/** How the command line reports an exception: one line, and whether it is the user's input. */
final class Errors {

    private Errors() {
    }

    /** Bad usage or input (exit 2: flags, files, weights) rather than a failure while running (exit 1). */
    static boolean isUsage(Throwable e) {
        return e instanceof IllegalArgumentException || e instanceof NoSuchFileException
                || e instanceof FileNotFoundException || e instanceof UsageException
                || e instanceof ditvm.model.weights.WeightsException
                || e instanceof PrecompiledException; // a --precompiled folder that cannot serve the graph
    }

    /** What must be seen beyond the one line: a kernel's full build log. */
    static java.util.Optional<String> details(Throwable e) {
        return e instanceof ditvm.device.KernelBuildException k ? java.util.Optional.of(k.buildLog()) : java.util.Optional.empty();
    }

    /** The first line of the message, with the exception's kind where the message alone is unclear. */
    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        } else if (e instanceof NoSuchFileException) {
            m = "no such file: " + m;
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl) + (details(e).isPresent() ? " (the log is above)" : "");
    }

    /** Input that is well-formed for the parser but not acceptable (exit 2). */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
