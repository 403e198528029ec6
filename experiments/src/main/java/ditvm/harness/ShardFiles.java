package ditvm.harness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sharded sweep's files inside its run folder, under {@code shards/<plan id>/}:
 * {@code plan.json} (every item, its shard and cost: what the merge expects), and per shard K
 * {@code rows-K.jsonl} (append-only, one whole row per line with the item it measures, so a rerun
 * of the shard skips it) and {@code env-K.json} (the machine and calibration of its last run).
 * Shards write only their own files, so any number of machines share one folder.
 */
public final class ShardFiles {
    public static final String SHARDS = "shards";

    /** One planned item: its key (as {@link Sweep.Item#key}), what people read, its shard and cost. */
    public record Planned(String key, String label, int shard, double cost) {
    }

    /** plan.json. */
    public record Plan(String id, String command, int shards, List<Planned> items) {
        public Plan {
            items = List.copyOf(items);
        }
    }

    /** env-K.json. */
    public record ShardEnv(Map<String, Object> environment, List<Calibration.Result> calibration) {
        public ShardEnv {
            calibration = calibration == null ? List.of() : List.copyOf(calibration);
        }
    }

    /** A finished row and the item it measured. */
    public record Measured(String item, Row row) {
    }

    private final Path folder;

    private ShardFiles(Path folder) {
        this.folder = folder;
    }

    public static ShardFiles of(Path runDir, String planId) {
        return new ShardFiles(runDir.resolve(SHARDS).resolve(planId));
    }

    /** Every sharded sweep written into {@code runDir}, by plan id. */
    public static List<ShardFiles> all(Path runDir) {
        Path root = runDir.resolve(SHARDS);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (var s = Files.list(root)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("plan.json"))).sorted().map(ShardFiles::new).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + root, e);
        }
    }

    public Path folder() {
        return folder;
    }

    public Path rowsFile(int shard) {
        return folder.resolve("rows-" + shard + ".jsonl");
    }

    Path envFile(int shard) {
        return folder.resolve("env-" + shard + ".json");
    }

    /** Writes plan.json when absent (every shard of the sweep would write the same items). */
    public void writePlanIfAbsent(Plan plan) {
        if (!Files.exists(folder.resolve("plan.json"))) {
            AtomicFiles.writeString(folder.resolve("plan.json"), json(plan));
        }
    }

    public Plan plan() {
        return read(folder.resolve("plan.json"), Plan.class);
    }

    /** Appends one finished row, with its item, as one line and forces it to disk. */
    public void append(int shard, String item, Row row) {
        ObjectNode line = RunResults.JSON.createObjectNode().put("item", item);
        line.setAll((ObjectNode) RunResults.JSON.valueToTree(row));
        try {
            Files.createDirectories(folder);
            AtomicFiles.appendLine(rowsFile(shard), RunResults.JSON.copy().disable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(line));
        } catch (IOException e) {
            throw new UncheckedIOException("recording a finished row in " + rowsFile(shard), e);
        }
    }

    /** A shard's finished rows, by item; of duplicates the last is kept; a torn line (killed mid-write) is skipped. */
    public Map<String, Row> rows(int shard) {
        Map<String, Row> rows = new LinkedHashMap<>();
        Path f = rowsFile(shard);
        if (!Files.exists(f)) {
            return rows;
        }
        try {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode node = RunResults.JSON.readTree(line);
                    if (node != null && node.hasNonNull("item")) {
                        rows.put(node.get("item").asText(), RunResults.JSON.treeToValue(node, Row.class));
                    }
                } catch (JsonProcessingException e) {
                    // a line cut short by an interruption: that row is measured again
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + f, e);
        }
        return rows;
    }

    /**
     * Records the machine and calibration of a shard's run; calibrations of earlier runs of the
     * shard are kept for the devices this run did not calibrate (it measured nothing there).
     */
    public void writeEnv(int shard, Map<String, Object> environment, List<Calibration.Result> calibration) {
        Map<String, Calibration.Result> byDevice = new LinkedHashMap<>();
        env(shard).ifPresent(old -> old.calibration().forEach(c -> byDevice.put(c.device(), c)));
        calibration.forEach(c -> byDevice.put(c.device(), c));
        AtomicFiles.writeString(envFile(shard), json(new ShardEnv(environment, new ArrayList<>(byDevice.values()))));
    }

    public java.util.Optional<ShardEnv> env(int shard) {
        Path f = envFile(shard);
        return Files.exists(f) ? java.util.Optional.of(read(f, ShardEnv.class)) : java.util.Optional.empty();
    }

    private static String json(Object o) {
        try {
            return RunResults.JSON.writeValueAsString(o) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(Path f, Class<T> type) {
        try {
            return RunResults.JSON.readValue(f.toFile(), type);
        } catch (IOException e) {
            throw new IllegalArgumentException(f + ": not a ditvm shard file (" + e.getMessage().lines().findFirst().orElse("")
                    + ")", e);
        }
    }
}
