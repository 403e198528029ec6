package ditvm.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Off-heap arrays: Java array round trips, slices sharing memory, ownership, bounds. */
class ArraysTest {

    @Test
    void floatArrayRoundTripAndSlices() {
        try (FloatArray a = FloatArray.fromArray(1, 2, 3, 4, 5)) {
            assertThat(a.toArray()).containsExactly(1, 2, 3, 4, 5);
            assertThat(a.byteSize()).isEqualTo(20);
            FloatArray s = a.slice(1, 3);
            assertThat(s.toArray()).containsExactly(2, 3, 4);
            s.set(0, 20);
            assertThat(a.get(1)).as("a slice writes through to its parent").isEqualTo(20f);
            s.close();
            assertThat(a.get(2)).as("closing a slice does not free the parent").isEqualTo(3f);
            assertThatThrownBy(() -> a.slice(3, 3)).isInstanceOf(IndexOutOfBoundsException.class);
            a.copyFrom(new float[] {9, 8, 7, 6, 5});
            assertThat(a.get(0)).isEqualTo(9f);
            assertThatThrownBy(() -> a.copyFrom(new float[2])).hasMessageContaining("expected 5 floats, found 2");
        }
    }

    @Test
    void intArrayRoundTripAndSlices() {
        try (IntArray a = IntArray.fromArray(7, 8, 9)) {
            assertThat(a.toArray()).containsExactly(7, 8, 9);
            IntArray s = a.slice(2, 1);
            s.set(0, 90);
            assertThat(a.get(2)).isEqualTo(90);
            assertThatThrownBy(() -> a.slice(-1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void newArraysAreZeroedAndClosingFrees() {
        FloatArray a = new FloatArray(1000);
        assertThat(a.toArray()).containsOnly(0f);
        a.close();
        assertThatThrownBy(() -> a.get(0)).as("freed memory is not readable").isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new FloatArray(-1)).hasMessageContaining("length must be >= 0");
        assertThatThrownBy(() -> new IntArray(-1)).hasMessageContaining("length must be >= 0");
    }
}
