package ditvm.harness;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The content of a run's results.json: environment, exact command, calibration per device and
 * the rows with every raw timing. Everything a report is rebuilt from. {@code missing} names
 * the planned rows that a sharded sweep has not measured (yet): empty for a run written whole.
 */
public record RunResults(Map<String, Object> environment, String command, List<Calibration.Result> calibration,
                         List<Row> rows,
                         @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> missing) {

    /** snake_case keys (median_ms, images_per_s, ...), indented, stable order. */
    public static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public RunResults {
        calibration = List.copyOf(calibration);
        rows = List.copyOf(rows);
        missing = missing == null ? List.of() : List.copyOf(missing); // results written before shards
    }

    public RunResults(Map<String, Object> environment, String command, List<Calibration.Result> calibration, List<Row> rows) {
        this(environment, command, calibration, rows, List.of());
    }

    public static RunResults read(Path file) {
        try {
            return JSON.readValue(file.toFile(), RunResults.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a ditvm results.json (" + e.getMessage().lines().findFirst().orElse("")
                    + ")", e);
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
