package ditvm.model.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken files, made here: each is refused by open() with a WeightsException naming the file. */
class SafeTensorsErrorTest {
    @TempDir
    Path dir;

    private Path valid() {
        Path file = dir.resolve("valid.safetensors");
        new SafeTensorsWriter().put("a", new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 3)
                .putLongs("y", new long[] {1, 2}, 2).metadata("k", "v").write(file);
        return file;
    }

    private static void assertRefused(Path file, String... messageParts) {
        assertThatThrownBy(() -> {
            try (SafeTensors st = SafeTensors.open(file)) {
                throw new AssertionError("opened " + st);
            }
        }).isInstanceOf(WeightsException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContainingAll(messageParts)
                .satisfies(e -> assertThat(((WeightsException) e).file()).isEqualTo(file));
    }

    @Test
    void theValidFileOpens() {
        try (SafeTensors st = SafeTensors.open(valid())) {
            assertThat(st.names()).containsExactly("a", "y");
        }
    }

    @Test
    void truncatedFilesAreRefused() throws IOException {
        byte[] whole = Files.readAllBytes(valid());
        long headerLength = ByteBuffer.wrap(whole).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        int[] cuts = {0, 5, 8, 8 + (int) headerLength / 2, 8 + (int) headerLength, whole.length - 1};
        for (int cut : cuts) {
            Path file = RawFile.write(dir.resolve("cut" + cut + ".safetensors"), Arrays.copyOf(whole, cut));
            assertRefused(file, "expected");
        }
        assertRefused(dir.resolve("cut0.safetensors"), "expected at least 8 bytes", "found a 0-byte file");
        assertRefused(dir.resolve("cut" + (whole.length - 1) + ".safetensors"), "truncated");
    }

    @Test
    void missingFileNamesTheFile() {
        assertRefused(dir.resolve("absent.safetensors"), "cannot read");
    }

    @ParameterizedTest
    @ValueSource(longs = {-1L, 1L << 40, (100L << 20) + 1, 1L << 62})
    void hugeHeaderLengthsAreRefused(long declared) throws IOException {
        Path file = RawFile.write(dir.resolve("huge.safetensors"), RawFile.bytes(declared, "{}".getBytes(StandardCharsets.UTF_8), new byte[64]));
        assertRefused(file, "expected a header length of at most 104857600 bytes", "found " + Long.toUnsignedString(declared));
    }

    @Test
    void headerLengthPastTheEndIsRefused() throws IOException {
        Path file = RawFile.write(dir.resolve("past.safetensors"), RawFile.bytes(1000, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]));
        assertRefused(file, "expected a 1000-byte header, found only 2 bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "{\"a\": {\"dtype\": \"F32\",", "{} trailing", "\u0000\u0001garbage",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[NaN],\"data_offsets\":[0,4]}}"})
    void jsonGarbageIsRefused(String json) throws IOException {
        assertRefused(RawFile.write(dir.resolve("garbage.safetensors"), json, new byte[4]), "invalid JSON");
    }

    @Test
    void invalidUtf8IsRefused() throws IOException {
        byte[] header = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
        assertRefused(RawFile.write(dir.resolve("utf8.safetensors"), RawFile.bytes(header.length, header, new byte[0])), "invalid JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1, 2]", "\"text\"", "   ", "42"})
    void aHeaderThatIsNotAnObjectIsRefused(String json) throws IOException {
        assertRefused(RawFile.write(dir.resolve("notobject.safetensors"), json, new byte[0]), "expected the header to be a JSON object");
    }

    /** A one-tensor header whose entry is {@code entry}, over 16 bytes of data. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"dtype\":\"F8\",\"shape\":[4],\"data_offsets\":[0,4]}                | expected a dtype in",
        "{\"dtype\":\"f32\",\"shape\":[4],\"data_offsets\":[0,16]}              | found \"f32\"",
        "{\"dtype\":7,\"shape\":[4],\"data_offsets\":[0,16]}                    | expected a string \"dtype\"",
        "{\"shape\":[4],\"data_offsets\":[0,16]}                                | expected a string \"dtype\"",
        "{\"dtype\":\"F32\",\"shape\":[-4],\"data_offsets\":[0,16]}             | non-negative 64-bit integers",
        "{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,10]}            | non-negative 64-bit integers",
        "{\"dtype\":\"F32\",\"shape\":[4.0],\"data_offsets\":[0,16]}            | non-negative 64-bit integers",
        "{\"dtype\":\"F32\",\"shape\":[\"4\"],\"data_offsets\":[0,16]}          | non-negative 64-bit integers",
        "{\"dtype\":\"F32\",\"shape\":[99999999999999999999],\"data_offsets\":[0,16]} | non-negative 64-bit integers",
        "{\"dtype\":\"F32\",\"shape\":4,\"data_offsets\":[0,16]}                | expected \"shape\" to be an array",
        "{\"dtype\":\"F32\",\"shape\":[4]}                                      | expected \"data_offsets\" to be an array of 2",
        "{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,8,16]}            | expected \"data_offsets\" to be an array of 2",
        "{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[16,0]}              | begin <= end, found [16, 0]",
        "{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,16]}            | shape [2, 3] x F32 needs 24 bytes, but data_offsets [0, 16] span 16",
        "{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,16]}              | needs 8 bytes",
        "{\"dtype\":\"F32\",\"shape\":[8],\"data_offsets\":[0,32]}              | within the 16-byte data section, found [0, 32]",
        "{\"dtype\":\"F32\",\"shape\":[1099511627776,1099511627776],\"data_offsets\":[0,16]} | overflows",
        "[1,2,3]                                                                 | expected an object with dtype, shape, data_offsets",
    })
    void badTensorEntriesAreRefused(String entry, String message) throws IOException {
        Path file = RawFile.write(dir.resolve("entry.safetensors"), "{\"w\":" + entry.strip() + "}", new byte[16]);
        assertRefused(file, "tensor \"w\"", message.strip());
    }

    @Test
    void overlappingTensorsAreRefused() throws IOException {
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}";
        assertRefused(RawFile.write(dir.resolve("overlap.safetensors"), json, new byte[24]),
                "expected non-overlapping tensor data", "\"a\" [0, 16) overlapping \"b\" [8, 24)");
        String same = "{\"a\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        assertRefused(RawFile.write(dir.resolve("alias.safetensors"), same, new byte[4]), "non-overlapping");
    }

    @Test
    void emptyTensorsMayShareAnOffset() throws IOException {
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]}}";
        try (SafeTensors st = SafeTensors.open(RawFile.write(dir.resolve("empty.safetensors"), json, new byte[8]))) {
            assertThat(st.shape("e")).containsExactly(0);
        }
    }

    @Test
    void metadataMustBeStrings() throws IOException {
        assertRefused(RawFile.write(dir.resolve("meta.safetensors"), "{\"__metadata__\":{\"n\":1}}", new byte[0]),
                "expected metadata \"n\" to be a string, found 1");
        assertRefused(RawFile.write(dir.resolve("meta2.safetensors"), "{\"__metadata__\":[\"x\"]}", new byte[0]),
                "expected \"__metadata__\" to be an object of strings");
    }
}
