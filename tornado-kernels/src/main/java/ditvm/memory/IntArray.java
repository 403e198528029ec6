package ditvm.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/** An off-heap int32 array (little-endian, 64-byte aligned). */
public final class IntArray implements DeviceArray {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT;

    private final Arena arena; // null for slices: the parent frees
    private final MemorySegment segment;
    private final long length;

    private IntArray(Arena arena, MemorySegment segment) {
        this.arena = arena;
        this.segment = segment;
        this.length = segment.byteSize() / Integer.BYTES;
    }

    /** A zero-filled array of {@code length} ints. */
    public IntArray(long length) {
        this(checkedArena(length), length);
    }

    private IntArray(Arena arena, long length) {
        this(arena, arena.allocate(length * Integer.BYTES, 64));
    }

    private static Arena checkedArena(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("IntArray length must be >= 0, found " + length);
        }
        return Arena.ofShared();
    }

    public static IntArray fromArray(int... values) {
        IntArray a = new IntArray(values.length);
        MemorySegment.copy(values, 0, a.segment, I32, 0, values.length);
        return a;
    }

    /** The elements [offset, offset + length) sharing this array's memory. */
    public IntArray slice(long offset, long length) {
        Objects.checkFromIndexSize(offset, length, this.length);
        return new IntArray(null, segment.asSlice(offset * Integer.BYTES, length * Integer.BYTES));
    }

    public int get(long i) {
        return segment.getAtIndex(I32, i);
    }

    public void set(long i, int v) {
        segment.setAtIndex(I32, i, v);
    }

    public int[] toArray() {
        return segment.toArray(I32);
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public int elementBytes() {
        return Integer.BYTES;
    }

    @Override
    public MemorySegment segment() {
        return segment;
    }

    @Override
    public void close() {
        if (arena != null) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "IntArray[" + length + "]";
    }
}
