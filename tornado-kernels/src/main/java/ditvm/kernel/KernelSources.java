package ditvm.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Loads kernel sources from the class path and prepends a target's prelude. */
public final class KernelSources {

    /** The targets a portable kernel source is compiled for. */
    public enum Target {
        OPENCL("prelude-opencl.h"), CUDA("prelude-cuda.h");

        private final String prelude;

        Target(String prelude) {
            this.prelude = prelude;
        }
    }

    private KernelSources() {
    }

    /**
     * The full program text for {@code target}: prelude, then the kernel file with each
     * {@code #include "file"} line replaced by that kernel-folder file (one level, so that
     * drivers need no include path). {@code #line} directives keep build-log line numbers
     * pointing into the kernel file.
     */
    public static String program(Target target, String sourceFile) {
        StringBuilder sb = new StringBuilder(read(target.prelude)).append("\n#line 1\n");
        String[] lines = read(sourceFile).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = INCLUDE.matcher(lines[i]);
            if (m.matches()) {
                sb.append(read(m.group(1))).append("\n#line ").append(i + 2).append('\n');
            } else {
                sb.append(lines[i]).append('\n');
            }
        }
        return sb.toString();
    }

    /** A target's prelude alone (the JIT's programs start with it). */
    public static String prelude(Target target) {
        return read(target.prelude) + "\n";
    }

    private static final Pattern INCLUDE = Pattern.compile("\\s*#include\\s+\"([A-Za-z0-9_.-]+)\"\\s*");

    /**
     * A kernel file's text: from {@code $DITVM_KERNEL_DIR} when that is set (for working on a
     * kernel without rebuilding), else from the class path.
     */
    public static String read(String file) {
        String dir = System.getenv("DITVM_KERNEL_DIR");
        if (dir != null && !dir.isBlank() && Files.isRegularFile(Path.of(dir, file))) {
            try {
                return Files.readString(Path.of(dir, file));
            } catch (IOException e) {
                throw new UncheckedIOException("reading kernel source " + Path.of(dir, file), e);
            }
        }
        String path = "/kernels/" + file;
        try (InputStream in = KernelSources.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no kernel source " + path + " on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading kernel source " + path, e);
        }
    }

    /** SHA-256 of a text, hex; the key of program caches. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
