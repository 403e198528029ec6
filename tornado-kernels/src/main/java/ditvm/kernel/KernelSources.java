package ditvm.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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

    /** The full program text for {@code target}: prelude, then the kernel file. */
    public static String program(Target target, String sourceFile) {
        return read(target.prelude) + "\n#line 1\n" + read(sourceFile);
    }

    public static String read(String file) {
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
