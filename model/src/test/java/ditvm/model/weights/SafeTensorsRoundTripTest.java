package ditvm.model.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SafeTensorsWriter then SafeTensors: the same bits, shapes and metadata come back. */
class SafeTensorsRoundTripTest {
    @TempDir
    Path dir;

    /** Raw float bits, written through the int view so no float operation can touch a NaN payload. */
    private static final int[] AWKWARD_BITS = {
        0x00000000, 0x80000000, 0x3F800000, 0x00000001, 0x807FFFFF, 0x7F7FFFFF, 0x7F800000, 0xFF800000,
        0x7FC00000, 0x7FC00001, 0xFFA00000, 0x7F800001, 0x40490FDB, 0xC2F6E979, 0x33D6BF95, 0x12345678,
        0xDEADBEEF, 0x00800000, 0x3EAAAAAB, 0x7F000000, 0x01000000, 0xB8000000, 0x4B000001, 0x3DCCCCCD,
    };

    private static FloatArray awkwardFloats() {
        FloatArray a = new FloatArray(AWKWARD_BITS.length);
        for (int i = 0; i < AWKWARD_BITS.length; i++) {
            a.segment().setAtIndex(ValueLayout.JAVA_INT, i, AWKWARD_BITS[i]);
        }
        return a;
    }

    private static int[] bitsOf(FloatArray a) {
        return a.segment().toArray(ValueLayout.JAVA_INT);
    }

    private static SafeTensorsWriter sample(FloatArray w) {
        return new SafeTensorsWriter()
                .put("blocks.0.attn.qkv.weight", w, 2, 3, 4)
                .put("scalar", new float[] {-1.25f})
                .put("empty", new float[0], 0, 5)
                .putLongs("y", new long[] {3, 1000, Long.MIN_VALUE, Long.MAX_VALUE}, 4)
                .putInts("labels", new int[] {7, -1, Integer.MAX_VALUE}, 3)
                .metadata("variant", "adaln-zero")
                .metadata("quote\"and\\slash", "ünïcødé ☃ \n newline");
    }

    @Test
    void roundTripIsBitIdentical() {
        Path file = dir.resolve("rt.safetensors");
        try (FloatArray w = awkwardFloats()) {
            sample(w).write(file);
            try (SafeTensors st = SafeTensors.open(file); FloatArray back = st.floats("blocks.0.attn.qkv.weight")) {
                assertThat(st.names()).containsExactly("blocks.0.attn.qkv.weight", "empty", "labels", "scalar", "y");
                assertThat(st.shape("blocks.0.attn.qkv.weight")).containsExactly(2, 3, 4);
                assertThat(st.shape("scalar")).isEmpty();
                assertThat(st.shape("empty")).containsExactly(0, 5);
                assertThat(st.dtype("y")).isEqualTo(DType.I64);
                assertThat(st.dtype("labels")).isEqualTo(DType.I32);
                assertThat(bitsOf(back)).containsExactly(AWKWARD_BITS);
                try (FloatArray s = st.floats("scalar"); FloatArray e = st.floats("empty")) {
                    assertThat(s.toArray()).containsExactly(-1.25f);
                    assertThat(e.length()).isZero();
                }
                assertThat(st.longs("y")).containsExactly(3, 1000, Long.MIN_VALUE, Long.MAX_VALUE);
                assertThat(st.longs("labels")).containsExactly(7, -1, Integer.MAX_VALUE);
                try (IntArray labels = st.ints("labels")) {
                    assertThat(labels.toArray()).containsExactly(7, -1, Integer.MAX_VALUE);
                }
                assertThat(st.metadata()).containsExactly(
                        org.assertj.core.api.Assertions.entry("quote\"and\\slash", "ünïcødé ☃ \n newline"),
                        org.assertj.core.api.Assertions.entry("variant", "adaln-zero"));
            }
        }
    }

    @Test
    void outputIsDeterministicSortedAndAligned() throws IOException {
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        try (FloatArray w = awkwardFloats()) {
            sample(w).write(a);
            new SafeTensorsWriter() // same content, added in another order
                    .metadata("quote\"and\\slash", "ünïcødé ☃ \n newline")
                    .putInts("labels", new int[] {7, -1, Integer.MAX_VALUE}, 3)
                    .putLongs("y", new long[] {3, 1000, Long.MIN_VALUE, Long.MAX_VALUE}, 4)
                    .put("empty", new float[0], 0, 5)
                    .put("scalar", new float[] {-1.25f})
                    .metadata("variant", "adaln-zero")
                    .put("blocks.0.attn.qkv.weight", w, 2, 3, 4)
                    .write(b);
        }
        byte[] bytes = Files.readAllBytes(a);
        assertThat(Files.readAllBytes(b)).isEqualTo(bytes);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertThat((8 + n) % 8).as("data starts 8-byte aligned").isZero();
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertThat(header).startsWith("{\"__metadata__\":");
        assertThat(header.indexOf("\"blocks.0")).isLessThan(header.indexOf("\"empty\""));
        assertThat(header.indexOf("\"labels\"")).isLessThan(header.indexOf("\"scalar\""));
        assertThat(header.indexOf("\"scalar\"")).isLessThan(header.indexOf("\"y\""));
    }

    @Test
    void writeReplacesAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("w.safetensors");
        new SafeTensorsWriter().put("old", new float[] {1f}).write(file);
        new SafeTensorsWriter().put("new", new float[] {2f, 3f}, 2).write(file);
        try (SafeTensors st = SafeTensors.open(file)) {
            assertThat(st.names()).containsExactly("new");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void failedWriteKeepsTheOldFileAndLeavesNothingBehind() throws IOException {
        Path file = dir.resolve("keep.safetensors");
        new SafeTensorsWriter().put("old", new float[] {1f}).write(file);
        byte[] before = Files.readAllBytes(file);
        FloatArray gone = FloatArray.fromArray(1f, 2f);
        SafeTensorsWriter w = new SafeTensorsWriter().put("a", new float[] {5f}).put("b", gone, 2);
        gone.close(); // the second tensor's memory is freed: writing it fails halfway through the file
        assertThatThrownBy(() -> w.write(file)).isInstanceOf(IllegalStateException.class);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void writingIntoAMissingFolderNamesTheFile() {
        Path file = dir.resolve("no/such/folder/x.safetensors");
        assertThatThrownBy(() -> new SafeTensorsWriter().put("a", new float[] {1f}).write(file))
                .isInstanceOf(WeightsException.class).hasMessageContaining("x.safetensors");
        assertThat(Files.exists(file.getParent())).isFalse();
    }

    @Test
    void putRejectsShapesThatDoNotMatchTheData() {
        SafeTensorsWriter w = new SafeTensorsWriter();
        assertThatThrownBy(() -> w.put("a", new float[6], 2, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 4] holds 8 elements, found 6");
        assertThatThrownBy(() -> w.put("a", new float[6], -2, -3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.put(SafeTensors.METADATA_KEY, new float[1])).isInstanceOf(IllegalArgumentException.class);
        w.put("a", new float[6], 2, 3);
        assertThatThrownBy(() -> w.put("a", new float[6], 6)).hasMessageContaining("added twice");
    }

    @Test
    void f32ViewsAreZeroCopyAndDieWithTheFile() {
        Path file = dir.resolve("v.safetensors");
        new SafeTensorsWriter().put("w", new float[] {1f, 2f, 3f, 4f}, 2, 2).write(file);
        FloatArray view;
        FloatArray copy;
        try (SafeTensors st = SafeTensors.open(file)) {
            view = st.floats("w", 2, 2);
            copy = st.floatsCopy("w");
            assertThat(view.segment().address()).isEqualTo(st.bytes("w").address());
            assertThat(view.segment().isReadOnly()).isTrue();
            assertThat(view.toArray()).containsExactly(1f, 2f, 3f, 4f);
            assertThatThrownBy(() -> st.floats("w", 4)).isInstanceOf(WeightsException.class)
                    .hasMessageContaining("expected shape [4], found [2, 2]");
        }
        assertThatThrownBy(() -> view.get(0)).isInstanceOf(IllegalStateException.class);
        assertThat(copy.toArray()).containsExactly(1f, 2f, 3f, 4f); // a copy outlives the file
        copy.close();
    }

    @Test
    void i64LabelsOutsideIntRangeAreRefused() {
        Path file = dir.resolve("y.safetensors");
        new SafeTensorsWriter().putLongs("y", new long[] {1, 1L << 32}, 2).write(file);
        try (SafeTensors st = SafeTensors.open(file)) {
            assertThatThrownBy(() -> st.ints("y")).isInstanceOf(WeightsException.class)
                    .hasMessageContaining("y.safetensors").hasMessageContaining("4294967296 at index 1");
            assertThatThrownBy(() -> st.floats("nope")).isInstanceOf(WeightsException.class)
                    .hasMessageContaining("expected a tensor \"nope\"");
        }
    }
}
