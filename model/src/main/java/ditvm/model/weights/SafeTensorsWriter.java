package ditvm.model.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects tensors and writes them as one safetensors file: F32, I64 and I32 data, optional
 * string metadata. The output is deterministic (metadata first, then tensors sorted by name,
 * data in the same order, header padded with spaces so the data starts 8-byte aligned) and
 * atomic: the bytes go to a temporary file in the target's folder which is then moved over
 * the target, so a failed write leaves no half-written file.
 *
 * <p>The writer keeps references, not copies: arrays passed to {@code put} must stay open
 * and unchanged until {@link #write} returns.
 */
public final class SafeTensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 1 << 20;

    private record Entry(DType dtype, long[] shape, MemorySegment data, ValueLayout element) {}

    private final Map<String, Entry> tensors = new TreeMap<>();
    private final Map<String, String> metadata = new TreeMap<>();

    /** Adds an F32 tensor; {@code data.length()} must equal the product of {@code shape}. */
    public SafeTensorsWriter put(String name, FloatArray data, long... shape) {
        return add(name, DType.F32, shape, data.segment(), ValueLayout.JAVA_FLOAT_UNALIGNED, data.length());
    }

    public SafeTensorsWriter put(String name, float[] data, long... shape) {
        return add(name, DType.F32, shape, MemorySegment.ofArray(data), ValueLayout.JAVA_FLOAT_UNALIGNED, data.length);
    }

    /** Adds an I64 tensor. */
    public SafeTensorsWriter putLongs(String name, long[] data, long... shape) {
        return add(name, DType.I64, shape, MemorySegment.ofArray(data), ValueLayout.JAVA_LONG_UNALIGNED, data.length);
    }

    /** Adds an I32 tensor. */
    public SafeTensorsWriter putInts(String name, int[] data, long... shape) {
        return add(name, DType.I32, shape, MemorySegment.ofArray(data), ValueLayout.JAVA_INT_UNALIGNED, data.length);
    }

    public SafeTensorsWriter putInts(String name, IntArray data, long... shape) {
        return add(name, DType.I32, shape, data.segment(), ValueLayout.JAVA_INT_UNALIGNED, data.length());
    }

    /** Adds a {@code __metadata__} entry. */
    public SafeTensorsWriter metadata(String key, String value) {
        metadata.put(requireNonNull(key, "metadata key"), requireNonNull(value, "metadata value"));
        return this;
    }

    private SafeTensorsWriter add(String name, DType dtype, long[] shape, MemorySegment data, ValueLayout element, long length) {
        requireNonNull(name, "tensor name");
        if (name.equals(SafeTensors.METADATA_KEY)) {
            throw new IllegalArgumentException("\"" + SafeTensors.METADATA_KEY + "\" is reserved for metadata, not a tensor name");
        }
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("tensor \"" + name + "\" added twice");
        }
        long count = 1;
        for (long s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("tensor \"" + name + "\": expected non-negative dimensions, found "
                        + Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, s);
        }
        if (count != length) {
            throw new IllegalArgumentException("tensor \"" + name + "\": shape " + Arrays.toString(shape) + " holds " + count
                    + " elements, found " + length);
        }
        tensors.put(name, new Entry(dtype, shape.clone(), data, element));
        return this;
    }

    private static <T> T requireNonNull(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        return value;
    }

    /** The header bytes (JSON padded with spaces to make 8 + length a multiple of 8). */
    private byte[] header() {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafeTensors.METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Entry> e : tensors.entrySet()) {
            Entry t = e.getValue();
            ObjectNode node = root.putObject(e.getKey());
            node.put("dtype", t.dtype.name());
            ArrayNode shape = node.putArray("shape");
            for (long s : t.shape) {
                shape.add(s);
            }
            long bytes = t.data.byteSize();
            node.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a safetensors header", e);
        }
        int padded = json.length + (8 - (8 + json.length) % 8) % 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    /** Writes the file atomically, replacing {@code file} if it exists. */
    public void write(Path file) {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        // not Files.createTempFile: that makes the file 0600, and the move would keep it so
        Path tmp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Long.toHexString(System.nanoTime()) + ".tmp");
        boolean moved = false;
        try {
            writeTo(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } catch (IOException e) {
            throw new WeightsException(file, "cannot write: " + e, e);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed; that error is the one to report
                }
            }
        }
    }

    private void writeTo(Path tmp) throws IOException {
        byte[] header = header();
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
             Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(CHUNK, 8);
            buffer.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, header.length);
            writeFully(out, buffer.asSlice(0, 8));
            writeFully(out, MemorySegment.ofArray(header));
            for (Entry t : tensors.values()) {
                // copy through a little-endian buffer: byte-swaps on a big-endian machine, a memcpy here
                ValueLayout le = t.element.withOrder(ByteOrder.LITTLE_ENDIAN);
                long elementBytes = t.element.byteSize();
                long perChunk = CHUNK / elementBytes;
                long count = t.data.byteSize() / elementBytes;
                for (long i = 0; i < count; i += perChunk) {
                    long n = Math.min(perChunk, count - i);
                    MemorySegment.copy(t.data, t.element, i * elementBytes, buffer, le, 0, n);
                    writeFully(out, buffer.asSlice(0, n * elementBytes));
                }
            }
            out.force(true);
        }
    }

    private static void writeFully(FileChannel out, MemorySegment bytes) throws IOException {
        var buf = bytes.asByteBuffer();
        while (buf.hasRemaining()) {
            out.write(buf);
        }
    }
}
