package ditvm.model.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ditvm.memory.FloatArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** F16, BF16 and F64 tensors come back as float32, exactly, against hand-computed values. */
class SafeTensorsConversionTest {
    @TempDir
    Path dir;

    @Test
    void f16ValuesConvertExactly() throws IOException {
        int[] bits = {0x3C00, 0xC100, 0x7BFF, 0x0001, 0x03FF, 0x0400, 0x8000, 0x3555, 0x7C00, 0xFC00, 0x7E00};
        float[] expected = {1.0f, -2.5f, 65504f, 0x1p-24f, 1023 * 0x1p-24f, 0x1p-14f, -0.0f, 0.333251953125f,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        Path file = RawFile.write(dir.resolve("f16.safetensors"),
                "{\"h\":{\"dtype\":\"F16\",\"shape\":[11],\"data_offsets\":[0,22]}}", RawFile.shorts(bits));
        try (SafeTensors st = SafeTensors.open(file); FloatArray a = st.floats("h")) {
            assertThat(st.dtype("h")).isEqualTo(DType.F16);
            assertThat(a.toArray()).containsExactly(expected); // AssertJ compares floats by Float.equals: -0.0 and NaN exact
        }
    }

    @Test
    void bf16ValuesConvertExactly() throws IOException {
        int[] bits = {0x4049, 0x3F80, 0xC020, 0x0001, 0x8001, 0x007F, 0x0080, 0x7F7F, 0x7F80, 0x7FC0};
        float[] expected = {3.140625f, 1.0f, -2.5f, 0x1p-133f, -0x1p-133f, 127 * 0x1p-133f, 0x1p-126f,
                Float.intBitsToFloat(0x7F7F0000), Float.POSITIVE_INFINITY, Float.NaN};
        assertThat(Float.intBitsToFloat(0x7F7F0000)).isEqualTo(3.3895314e38f);
        Path file = RawFile.write(dir.resolve("bf16.safetensors"),
                "{\"b\":{\"dtype\":\"BF16\",\"shape\":[2,5],\"data_offsets\":[0,20]}}", RawFile.shorts(bits));
        try (SafeTensors st = SafeTensors.open(file); FloatArray a = st.floats("b", 2, 5)) {
            assertThat(a.toArray()).containsExactly(expected);
        }
    }

    @Test
    void f64NarrowsToNearestFloat() throws IOException {
        double[] values = {1.0 / 3.0, -1e-40, 1e300, Math.PI};
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        Path file = RawFile.write(dir.resolve("f64.safetensors"),
                "{\"d\":{\"dtype\":\"F64\",\"shape\":[4],\"data_offsets\":[0,32]}}", b.array());
        try (SafeTensors st = SafeTensors.open(file); FloatArray a = st.floats("d")) {
            assertThat(a.toArray()).containsExactly((float) (1.0 / 3.0), (float) -1e-40, Float.POSITIVE_INFINITY, (float) Math.PI);
        }
    }

    @Test
    void misalignedF32IsCopiedWithTheRightValues() throws IOException {
        // a 2-byte F16 first puts the F32 tensor at an odd 2-byte offset: no zero-copy view possible
        String json = "{\"a\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]},"
                + "\"f\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[2,14]}}";
        byte[] header = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] padded = java.util.Arrays.copyOf(header, header.length + (8 - (8 + header.length) % 8) % 8);
        java.util.Arrays.fill(padded, header.length, padded.length, (byte) ' ');
        Path file = RawFile.write(dir.resolve("odd.safetensors"),
                RawFile.bytes(padded.length, padded, RawFile.concat(RawFile.shorts(0x3C00), RawFile.floats(1.5f, -7f, 1e-30f))));
        try (SafeTensors st = SafeTensors.open(file); FloatArray f = st.floats("f")) {
            assertThat(st.bytes("f").address() % 4).isEqualTo(2);
            assertThat(f.toArray()).containsExactly(1.5f, -7f, 1e-30f);
        }
    }

    @Test
    void integerTensorsAreNotFloats() throws IOException {
        Path file = RawFile.write(dir.resolve("i.safetensors"),
                "{\"y\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]);
        try (SafeTensors st = SafeTensors.open(file)) {
            assertThatThrownBy(() -> st.floats("y")).isInstanceOf(WeightsException.class)
                    .hasMessageContaining("i.safetensors").hasMessageContaining("expected dtype F32, F16, BF16 or F64, found I32");
        }
    }
}
