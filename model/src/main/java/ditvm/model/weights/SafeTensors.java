package ditvm.model.weights;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A safetensors file, memory-mapped read-only and validated on {@link #open}.
 *
 * <p>Format: an 8-byte little-endian u64 N, N bytes of UTF-8 JSON
 * {@code {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}}},
 * then the little-endian tensor data, offsets counted from its first byte. {@code open}
 * checks everything before it returns: the header length (at most {@link #MAX_HEADER_BYTES}
 * and inside the file), the JSON, every dtype, shape x dtype size = offset span, offsets inside
 * the file and not overlapping. A file that fails gets a {@link WeightsException} naming it.
 *
 * <p>Ownership: this object owns the mapping and unmaps it on {@link #close()}. {@link #floats}
 * may return a read-only view of the mapping (F32 data, aligned, on a little-endian machine):
 * such a view is valid only while this file is open; touching it after close throws
 * IllegalStateException. Always close what {@code floats} returns (closing a view does nothing,
 * closing a converted copy frees it); use {@link #floatsCopy} for an array that outlives the file
 * or must be written to.
 */
public final class SafeTensors implements AutoCloseable {
    /** The largest header accepted: 100 MiB (a full DiT-XL/2 header is about 60 KiB). */
    public static final long MAX_HEADER_BYTES = 100L << 20;
    public static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final Arena arena;
    private final MemorySegment data; // the data section of the mapping
    private final Map<String, TensorInfo> tensors; // sorted by name
    private final Map<String, String> metadata;

    private SafeTensors(Path file, Arena arena, MemorySegment data, Header header) {
        this.file = file;
        this.arena = arena;
        this.data = data;
        this.tensors = header.tensors;
        this.metadata = header.metadata;
    }

    /** Maps and validates {@code file}; throws {@link WeightsException} if it is not a valid safetensors file. */
    public static SafeTensors open(Path file) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new WeightsException(file, "expected at least 8 bytes (the header length), found a " + size + "-byte file");
            }
            MemorySegment mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long headerBytes = mapping.get(I64_LE, 0);
            if (headerBytes < 0 || headerBytes > MAX_HEADER_BYTES) {
                throw new WeightsException(file, "expected a header length of at most " + MAX_HEADER_BYTES
                        + " bytes, found " + Long.toUnsignedString(headerBytes) + " (not a safetensors file?)");
            }
            if (headerBytes > size - 8) {
                throw new WeightsException(file, "expected a " + headerBytes + "-byte header, found only " + (size - 8)
                        + " bytes after the header length (truncated?)");
            }
            byte[] json = mapping.asSlice(8, headerBytes).toArray(ValueLayout.JAVA_BYTE);
            MemorySegment data = mapping.asSlice(8 + headerBytes);
            Header header = parseHeader(file, json, data.byteSize());
            return new SafeTensors(file, arena, data, header);
        } catch (IOException e) {
            arena.close();
            throw new WeightsException(file, "cannot read: " + e, e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private record Header(Map<String, TensorInfo> tensors, Map<String, String> metadata) {}

    /** Parses and validates a header against a data section of {@code dataBytes} bytes. */
    private static Header parseHeader(Path file, byte[] json, long dataBytes) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new WeightsException(file, "expected a JSON header, found invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new WeightsException(file, "cannot parse the JSON header: " + e, e);
        }
        if (root == null || !root.isObject()) {
            throw new WeightsException(file, "expected the header to be a JSON object, found "
                    + (root == null || root.isMissingNode() ? "nothing" : root.getNodeType().toString().toLowerCase()));
        }
        Map<String, TensorInfo> tensors = new TreeMap<>();
        Map<String, String> metadata = new TreeMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey();
            JsonNode node = field.getValue();
            if (name.equals(METADATA_KEY)) {
                readMetadata(file, node, metadata);
            } else {
                tensors.put(name, readTensor(file, name, node, dataBytes));
            }
        }
        checkNoOverlap(file, tensors.values());
        return new Header(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> into) {
        if (!node.isObject()) {
            throw new WeightsException(file, "expected \"__metadata__\" to be an object of strings, found " + node);
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new WeightsException(file, "expected metadata \"" + e.getKey() + "\" to be a string, found " + e.getValue());
            }
            into.put(e.getKey(), e.getValue().textValue());
        }
    }

    private static TensorInfo readTensor(Path file, String name, JsonNode node, long dataBytes) {
        String where = "tensor \"" + name + "\": ";
        if (!node.isObject()) {
            throw new WeightsException(file, where + "expected an object with dtype, shape, data_offsets, found " + node);
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new WeightsException(file, where + "expected a string \"dtype\", found " + dtypeNode);
        }
        DType dtype = DType.parse(dtypeNode.textValue()).orElseThrow(() -> new WeightsException(file,
                where + "expected a dtype in " + Arrays.toString(DType.values()) + ", found \"" + dtypeNode.textValue() + "\""));
        long[] shape = longArray(file, where, node.get("shape"), "shape", -1);
        long[] offsets = longArray(file, where, node.get("data_offsets"), "data_offsets", 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw new WeightsException(file, where + "expected data_offsets begin <= end, found [" + begin + ", " + end + "]");
        }
        long bytes;
        try {
            long count = 1;
            for (long s : shape) {
                count = Math.multiplyExact(count, s);
            }
            bytes = Math.multiplyExact(count, (long) dtype.bytes());
        } catch (ArithmeticException e) {
            throw new WeightsException(file, where + "shape " + Arrays.toString(shape) + " overflows a 64-bit byte count");
        }
        if (bytes != end - begin) {
            throw new WeightsException(file, where + "shape " + Arrays.toString(shape) + " x " + dtype + " needs " + bytes
                    + " bytes, but data_offsets [" + begin + ", " + end + "] span " + (end - begin));
        }
        if (end > dataBytes) {
            throw new WeightsException(file, where + "expected data_offsets within the " + dataBytes
                    + "-byte data section, found [" + begin + ", " + end + "] (truncated file?)");
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    /** A JSON array of non-negative integers (exactly {@code size} of them when size >= 0). */
    private static long[] longArray(Path file, String where, JsonNode node, String key, int size) {
        if (node == null || !node.isArray() || (size >= 0 && node.size() != size)) {
            String expected = size >= 0 ? "an array of " + size + " integers" : "an array of integers";
            throw new WeightsException(file, where + "expected \"" + key + "\" to be " + expected + ", found " + node);
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw new WeightsException(file, where + "expected \"" + key + "\" to hold non-negative 64-bit integers, found " + node);
            }
            values[i] = v.longValue();
        }
        return values;
    }

    private static void checkNoOverlap(Path file, Collection<TensorInfo> all) {
        List<TensorInfo> sorted = new ArrayList<>();
        for (TensorInfo t : all) {
            if (t.byteSize() > 0) { // an empty tensor occupies no bytes
                sorted.add(t);
            }
        }
        sorted.sort(Comparator.comparingLong(TensorInfo::begin));
        for (int i = 1; i < sorted.size(); i++) {
            TensorInfo a = sorted.get(i - 1);
            TensorInfo b = sorted.get(i);
            if (b.begin() < a.end()) {
                throw new WeightsException(file, "expected non-overlapping tensor data, found \"" + a.name() + "\" [" + a.begin()
                        + ", " + a.end() + ") overlapping \"" + b.name() + "\" [" + b.begin() + ", " + b.end() + ")");
            }
        }
    }

    // ------------------------------------------------------------------ access

    public Path file() {
        return file;
    }

    /** Tensor names, sorted. */
    public Set<String> names() {
        return tensors.keySet();
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** Every tensor's header entry, sorted by name. */
    public Collection<TensorInfo> tensors() {
        return tensors.values();
    }

    /** The header entry of {@code name}; a missing tensor is a {@link WeightsException}. */
    public TensorInfo info(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            List<String> some = tensors.keySet().stream().limit(8).toList();
            throw new WeightsException(file, "expected a tensor \"" + name + "\", found none among the " + tensors.size()
                    + " tensors " + some + (tensors.size() > some.size() ? "..." : ""));
        }
        return t;
    }

    public long[] shape(String name) {
        return info(name).shape();
    }

    public DType dtype(String name) {
        return info(name).dtype();
    }

    /** The {@code __metadata__} entries (empty if none), sorted by key. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensor's raw little-endian bytes, a read-only view valid while this file is open. */
    public MemorySegment bytes(String name) {
        TensorInfo t = info(name);
        return data().asSlice(t.begin(), t.byteSize());
    }

    /**
     * The tensor as float32: F32 as a read-only zero-copy view of the mapping when it is 4-byte
     * aligned on a little-endian machine, else a copy; F16, BF16 and F64 converted into a new
     * array. Close the result (a no-op for a view); a view dies with this file.
     */
    public FloatArray floats(String name) {
        TensorInfo t = info(name);
        if (t.dtype() == DType.F32 && LITTLE_ENDIAN) {
            MemorySegment src = bytes(name);
            if (src.address() % Float.BYTES == 0) {
                return FloatArray.view(src);
            }
        }
        return floatsCopy(name);
    }

    /** {@link #floats(String)} after checking the shape is exactly {@code expected}. */
    public FloatArray floats(String name, long... expected) {
        requireShape(name, expected);
        return floats(name);
    }

    /** The tensor as a new float32 array the caller owns, independent of this file. */
    public FloatArray floatsCopy(String name) {
        TensorInfo t = info(name);
        MemorySegment src = bytes(name);
        long n = t.elementCount();
        FloatArray out = new FloatArray(n);
        MemorySegment dst = out.segment();
        switch (t.dtype()) {
            case F32 -> MemorySegment.copy(src, F32_LE, 0, dst, ValueLayout.JAVA_FLOAT, 0, n);
            case F16 -> {
                for (long i = 0; i < n; i++) {
                    dst.setAtIndex(ValueLayout.JAVA_FLOAT, i, Float.float16ToFloat(src.getAtIndex(I16_LE, i)));
                }
            }
            case BF16 -> {
                for (long i = 0; i < n; i++) {
                    dst.setAtIndex(ValueLayout.JAVA_FLOAT, i, bf16ToFloat(src.getAtIndex(I16_LE, i)));
                }
            }
            case F64 -> {
                for (long i = 0; i < n; i++) {
                    dst.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) src.getAtIndex(F64_LE, i));
                }
            }
            default -> {
                out.close();
                throw wrongDtype(t, "F32, F16, BF16 or F64");
            }
        }
        return out;
    }

    /** The tensor (I64 or I32) as a long[]. */
    public long[] longs(String name) {
        TensorInfo t = info(name);
        MemorySegment src = bytes(name);
        int n = heapLength(t);
        long[] out = new long[n];
        switch (t.dtype()) {
            case I64 -> MemorySegment.copy(src, I64_LE, 0, out, 0, n);
            case I32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = src.getAtIndex(I32_LE, i);
                }
            }
            default -> throw wrongDtype(t, "I64 or I32");
        }
        return out;
    }

    /** The tensor (I32, or I64 whose every value fits an int) as a new IntArray the caller owns. */
    /** A tensor as a Java float[] (F32, or converted), nothing left to free. */
    public float[] toFloats(String name) {
        try (FloatArray a = floatsCopy(name)) {
            return a.toArray();
        }
    }

    /** An I64 or I32 tensor as a Java int[] (range-checked like {@link #ints}), nothing left to free. */
    public int[] labels(String name) {
        try (IntArray a = ints(name)) {
            return a.toArray();
        }
    }

    public IntArray ints(String name) {
        TensorInfo t = info(name);
        if (t.dtype() != DType.I64 && t.dtype() != DType.I32) {
            throw wrongDtype(t, "I64 or I32");
        }
        long[] values = longs(name);
        IntArray out = new IntArray(values.length);
        for (int i = 0; i < values.length; i++) {
            if (values[i] != (int) values[i]) {
                out.close();
                throw new WeightsException(file, "tensor \"" + name + "\": expected values that fit int32, found "
                        + values[i] + " at index " + i);
            }
            out.set(i, (int) values[i]);
        }
        return out;
    }

    /** Throws a {@link WeightsException} unless {@code name}'s shape is exactly {@code expected}. */
    public void requireShape(String name, long... expected) {
        TensorInfo t = info(name);
        if (!Arrays.equals(t.shape(), expected)) {
            throw new WeightsException(file, "tensor \"" + name + "\": expected shape " + Arrays.toString(expected)
                    + ", found " + t.shapeString());
        }
    }

    /** bfloat16 bits to float32: the upper half of the float's bits, exactly. */
    static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    private int heapLength(TensorInfo t) {
        if (t.elementCount() > Integer.MAX_VALUE - 8) {
            throw new WeightsException(file, "tensor \"" + t.name() + "\": expected at most 2^31 elements for a Java array, found "
                    + t.elementCount());
        }
        return (int) t.elementCount();
    }

    private WeightsException wrongDtype(TensorInfo t, String expected) {
        return new WeightsException(file, "tensor \"" + t.name() + "\": expected dtype " + expected + ", found " + t.dtype());
    }

    private MemorySegment data() {
        if (!arena.scope().isAlive()) {
            throw new IllegalStateException(file + ": already closed");
        }
        return data;
    }

    /** Unmaps the file; views returned by {@link #floats} and {@link #bytes} become invalid. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "SafeTensors[" + file + ", " + tensors.size() + " tensors]";
    }
}
