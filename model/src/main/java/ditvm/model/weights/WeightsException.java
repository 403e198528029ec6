package ditvm.model.weights;

import java.nio.file.Path;

/**
 * A weights or tensor file that cannot be read or written as asked: truncated, corrupt, a
 * missing tensor, the wrong dtype or shape. The message names the file and says what was
 * expected and what was found.
 */
public class WeightsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Path file;

    public WeightsException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    public WeightsException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    /** The file the problem is in. */
    public Path file() {
        return file;
    }
}
