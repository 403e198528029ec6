package ditvm.device;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Built program binaries (OpenCL binaries, PTX) on disk, one file per (device name, driver version, program text
 * SHA-256, build options). The file name is the SHA-256 of that key; the file holds the full
 * key too, so a hash collision or a hand-copied file is refused rather than loaded.
 *
 * <p>Entry layout (big-endian): magic {@code DITVMKC1}, key length (int) and key (UTF-8),
 * binary length (long), binary SHA-256 (32 bytes), binary. Anything that does not read back
 * exactly (wrong magic, other key, short file, trailing bytes, checksum) is {@link
 * Lookup.Rejected}; the caller rebuilds from source and overwrites it.
 */
public final class ProgramCache {
    private static final byte[] MAGIC = "DITVMKC1".getBytes(StandardCharsets.US_ASCII);

    private final Path dir;

    public ProgramCache(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** {@code ${DITVM_CACHE_DIR}}, else {@code ${XDG_CACHE_HOME:-$HOME/.cache}/ditvm/kernels}. */
    public static Path defaultDir() {
        String env = System.getenv("DITVM_CACHE_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("ditvm").resolve("kernels");
    }

    /** Whether {@code DITVM_KERNEL_CACHE} turns the disk cache off ({@code off}, {@code 0}, {@code false}). */
    public static boolean disabledByEnvironment() {
        return disabled(System.getenv("DITVM_KERNEL_CACHE"));
    }

    public static boolean disabled(String v) {
        return v != null && (v.equalsIgnoreCase("off") || v.equals("0") || v.equalsIgnoreCase("false"));
    }

    /** The key of a program: every field that makes a binary unusable when it changes. */
    public static String key(String deviceName, String driverVersion, String programSha256, String options) {
        return "device=" + deviceName + "\ndriver=" + driverVersion + "\nprogram=" + programSha256
                + "\noptions=" + options + "\n";
    }

    public Path path(String key) {
        return dir.resolve(sha256(key.getBytes(StandardCharsets.UTF_8)) + ".bin");
    }

    /** What a lookup found. */
    public sealed interface Lookup {
        public record Miss() implements Lookup {
        }

        public record Hit(byte[] binary) implements Lookup {
        }

        /** An entry exists but cannot be trusted; {@code why} says what was wrong. */
        public record Rejected(String why) implements Lookup {
        }
    }

    public Lookup read(String key) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path(key));
        } catch (NoSuchFileException e) {
            return new Lookup.Miss();
        } catch (IOException e) {
            return new Lookup.Rejected("unreadable: " + e.getMessage());
        }
        return parse(bytes, key);
    }

    public static Lookup parse(byte[] bytes, String key) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            byte[] magic = new byte[MAGIC.length];
            b.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                return new Lookup.Rejected("not a ditvm kernel cache entry");
            }
            int keyLength = b.getInt();
            if (keyLength < 0 || keyLength > b.remaining()) {
                return new Lookup.Rejected("truncated key");
            }
            byte[] k = new byte[keyLength];
            b.get(k);
            if (!new String(k, StandardCharsets.UTF_8).equals(key)) {
                return new Lookup.Rejected("entry is for another key");
            }
            long length = b.getLong();
            byte[] sha = new byte[32];
            b.get(sha);
            if (length != b.remaining()) {
                return new Lookup.Rejected("binary is " + b.remaining() + " bytes, header says " + length);
            }
            byte[] binary = new byte[(int) length];
            b.get(binary);
            if (!MessageDigest.isEqual(sha, digest(binary))) {
                return new Lookup.Rejected("binary checksum mismatch");
            }
            return new Lookup.Hit(binary);
        } catch (java.nio.BufferUnderflowException e) {
            return new Lookup.Rejected("truncated entry");
        }
    }

    /** Writes the entry atomically, so a reader sees all of it or none. */
    public void write(String key, byte[] binary) throws IOException {
        Files.createDirectories(dir);
        writeAtomically(path(key), entry(key, binary));
    }

    /** Writes {@code target} through a temporary file in its folder and a move. */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes);
            if (Files.getFileAttributeView(tmp, PosixFileAttributeView.class) != null) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--")); // temp files are 0600
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static byte[] entry(String key, byte[] binary) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(binary.length + 256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            out.write(MAGIC);
            out.writeInt(k.length);
            out.write(k);
            out.writeLong(binary.length);
            out.write(digest(binary));
            out.write(binary);
        } catch (IOException e) {
            throw new IllegalStateException(e); // in-memory stream
        }
        return bytes.toByteArray();
    }

    public static byte[] digest(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] data) {
        return HexFormat.of().formatHex(digest(data));
    }

    /** The entry file of {@code key}, if present (tests corrupt it). */
    public Optional<Path> existing(String key) {
        Path p = path(key);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }
}
