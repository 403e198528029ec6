package ditvm.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.SplittableRandom;

/** An off-heap float32 array (little-endian, 64-byte aligned), the unit of data in a task graph. */
public final class FloatArray implements DeviceArray {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;

    private final Arena arena; // null for slices and views: the owner frees
    private final MemorySegment segment;
    private final long length;

    private FloatArray(Arena arena, MemorySegment segment) {
        this.arena = arena;
        this.segment = segment;
        this.length = segment.byteSize() / Float.BYTES;
    }

    /** A zero-filled array of {@code length} floats. */
    public FloatArray(long length) {
        this(checkedArena(length), length);
    }

    private FloatArray(Arena arena, long length) {
        this(arena, arena.allocate(length * Float.BYTES, 64));
    }

    private static Arena checkedArena(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("FloatArray length must be >= 0, found " + length);
        }
        return Arena.ofShared();
    }

    public static FloatArray fromArray(float... values) {
        FloatArray a = new FloatArray(values.length);
        MemorySegment.copy(values, 0, a.segment, F32, 0, values.length);
        return a;
    }

    /**
     * A view of memory owned elsewhere (a memory-mapped file, say); closing the view does not
     * free it, and the view must not outlive its owner.
     */
    public static FloatArray view(MemorySegment segment) {
        if (segment.byteSize() % Float.BYTES != 0) {
            throw new IllegalArgumentException("a float view needs a multiple of 4 bytes, found " + segment.byteSize());
        }
        return new FloatArray(null, segment);
    }

    /** The elements [offset, offset + length) sharing this array's memory. */
    public FloatArray slice(long offset, long length) {
        Objects.checkFromIndexSize(offset, length, this.length);
        return new FloatArray(null, segment.asSlice(offset * Float.BYTES, length * Float.BYTES));
    }

    public float get(long i) {
        return segment.getAtIndex(F32, i);
    }

    public void set(long i, float v) {
        segment.setAtIndex(F32, i, v);
    }

    public void fill(float v) {
        for (long i = 0; i < length; i++) {
            segment.setAtIndex(F32, i, v);
        }
    }

    /** Fills with seeded uniform values in [-1, 1) (benchmark and check data); returns this array. */
    public FloatArray fillUniform(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (long i = 0; i < length; i++) {
            segment.setAtIndex(F32, i, (float) (r.nextDouble() * 2 - 1));
        }
        return this;
    }

    public void copyFrom(float[] src) {
        if (src.length != length) {
            throw new IllegalArgumentException("copyFrom: expected " + length + " floats, found " + src.length);
        }
        MemorySegment.copy(src, 0, segment, F32, 0, src.length);
    }

    public float[] toArray() {
        return segment.toArray(F32);
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public int elementBytes() {
        return Float.BYTES;
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
        return "FloatArray[" + length + "]";
    }
}
