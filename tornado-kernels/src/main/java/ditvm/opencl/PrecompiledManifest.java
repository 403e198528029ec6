package ditvm.opencl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code manifest.json} of a precompiled-programs folder: the device the binaries were built
 * for, and per kernel the program it lives in and the work-group size it was compiled for.
 * FPGA binaries (aocx, xclbin) built outside ditvm are listed here the same way.
 *
 * @param format       1
 * @param driverVersion CL_DRIVER_VERSION
 * @param openclVersion CL_DEVICE_VERSION
 * @param created      ISO-8601 instant
 */
public record PrecompiledManifest(int format, String deviceId, String deviceName, String vendor, String driverVersion,
                                  String openclVersion, String ditvmVersion, String created, List<Entry> entries) {

    public static final String FILE = "manifest.json";
    public static final int FORMAT = 1;

    public PrecompiledManifest {
        entries = List.copyOf(entries);
    }

    /**
     * One kernel. {@code programFile} and {@code binary} are file names in the folder (several
     * kernels may share one program): the full program text ditvm builds (prelude and includes
     * inlined; what an FPGA compiler is given) and the device binary. {@code programSha256} is
     * that text's hash, checked against the text ditvm would build now. {@code localSize} is
     * the fixed work-group size, null when the kernel lets the driver choose.
     */
    public record Entry(String kernel, String entryPoint, String sourceFile, String buildOptions, String programSha256,
                        String programFile, String binary, String binarySha256, long[] localSize) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && kernel.equals(e.kernel) && entryPoint.equals(e.entryPoint)
                    && sourceFile.equals(e.sourceFile) && buildOptions.equals(e.buildOptions)
                    && programSha256.equals(e.programSha256) && java.util.Objects.equals(programFile, e.programFile)
                    && binary.equals(e.binary)
                    && binarySha256.equals(e.binarySha256) && Arrays.equals(localSize, e.localSize);
        }

        @Override
        public int hashCode() {
            return kernel.hashCode() * 31 + Arrays.hashCode(localSize);
        }

        @Override
        public String toString() {
            return kernel + " (" + binary + ", local " + (localSize == null ? "auto" : Arrays.toString(localSize)) + ")";
        }
    }

    public Optional<Entry> entry(String kernel) {
        return entries.stream().filter(e -> e.kernel().equals(kernel)).findFirst();
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads {@code dir/manifest.json}; a missing or malformed file is a {@link PrecompiledException} naming it. */
    public static PrecompiledManifest read(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            PrecompiledManifest m = JSON.readValue(Files.readString(file), PrecompiledManifest.class);
            if (m.format() != FORMAT) {
                throw new PrecompiledException(file + ": expected format " + FORMAT + ", found " + m.format());
            }
            if (m.entries() == null || m.deviceName() == null || m.driverVersion() == null) {
                throw new PrecompiledException(file + ": expected device_name, driver_version and entries");
            }
            return m;
        } catch (NoSuchFileException e) {
            throw new PrecompiledException("no " + FILE + " in precompiled folder " + dir
                    + " (write one with PrecompiledWriter / `ditvm compile`)");
        } catch (IOException e) {
            throw new PrecompiledException("cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
