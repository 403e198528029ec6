package ditvm.memory;

import java.lang.foreign.MemorySegment;

/**
 * An off-heap host array that a task graph can move to and from a device. Each array owns
 * its native memory and frees it on {@link #close()}; a slice shares its parent's memory and
 * closing it does nothing.
 */
public sealed interface DeviceArray extends AutoCloseable permits FloatArray, IntArray {

    /** Number of elements. */
    long length();

    /** Bytes of one element (4 for both kinds). */
    int elementBytes();

    /** The host memory, {@code length() * elementBytes()} bytes. */
    MemorySegment segment();

    default long byteSize() {
        return length() * elementBytes();
    }

    @Override
    void close();
}
