package ditvm.harness;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's folder under results/: results.json, results.csv, report.md and the plots.
 * {@link #publish} writes a new folder whole (staged, then moved into place); a sweep in
 * progress keeps its finished rows in rows.jsonl, one whole JSON line each, so that a rerun can
 * skip them.
 */
public final class RunDirectory {
    public static final String RESULTS_JSON = "results.json";
    public static final String ROWS_JSONL = "rows.jsonl";

    private RunDirectory() {
    }

    /** Writes every file of {@code run} into {@code dir}, which must not exist yet; all or nothing. */
    public static void publish(RunResults run, Path dir) {
        if (Files.exists(dir)) {
            throw new IllegalArgumentException("run folder " + dir + " exists already");
        }
        Path staging = AtomicFiles.stagingFor(dir);
        try {
            writeAll(run, staging);
        } catch (RuntimeException e) {
            AtomicFiles.deleteTree(staging);
            throw e;
        }
        AtomicFiles.publish(staging, dir);
    }

    /** (Re)writes every file of {@code run} into an existing {@code dir}, each file atomically. */
    public static void writeAll(RunResults run, Path dir) {
        AtomicFiles.writeString(dir.resolve(RESULTS_JSON), run.toJson());
        AtomicFiles.writeString(dir.resolve("results.csv"), Report.csv(run));
        rebuildReport(run, dir);
    }

    /**
     * report.md and plots from results.json alone (`ditvm report DIR`). A Java runtime without
     * java.desktop (the GPU bundle's) cannot draw: it writes report.md, says so on stderr, and
     * `ditvm report DIR` on a full JDK draws the plots later.
     */
    public static void rebuildReport(RunResults run, Path dir) {
        AtomicFiles.writeString(dir.resolve("report.md"), Report.markdown(run));
        if (ModuleLayer.boot().findModule("java.desktop").isEmpty()) {
            System.err.println("ditvm: plots not drawn: this Java runtime has no java.desktop module; run `bin/ditvm report "
                    + dir + "` on a full JDK to draw them");
            return;
        }
        Path staging = AtomicFiles.stagingFor(dir.resolve("plots"));
        try {
            Plots.write(run, staging);
            try (var files = Files.list(staging)) {
                for (Path f : files.toList()) {
                    AtomicFiles.move(f, dir.resolve(f.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing plots into " + dir, e);
        } finally {
            AtomicFiles.deleteTree(staging);
        }
    }

    /** A script written whole and made executable (a Slurm job script, say). */
    public static void writeScript(Path file, String text) {
        AtomicFiles.writeString(file, text);
        if (!file.toFile().setExecutable(true)) {
            throw new UncheckedIOException(new IOException("cannot make " + file + " executable"));
        }
    }

    /** The finished rows of an interrupted sweep; a torn last line (killed mid-write) is ignored. */
    public static List<Row> readRows(Path dir) {
        Path f = dir.resolve(ROWS_JSONL);
        List<Row> rows = new ArrayList<>();
        if (!Files.exists(f)) {
            return rows;
        }
        try {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    rows.add(RunResults.JSON.readValue(line, Row.class));
                } catch (JsonProcessingException e) {
                    // a line cut short by an interruption: that row is measured again
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + f, e);
        }
        return rows;
    }

    /** Appends one finished row as one line and forces it to disk. */
    public static void appendRow(Path dir, Row row) {
        try {
            Files.createDirectories(dir);
            AtomicFiles.appendLine(dir.resolve(ROWS_JSONL), RunResults.JSON.copy()
                    .disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(row));
        } catch (IOException e) {
            throw new UncheckedIOException("recording a finished row in " + dir, e);
        }
    }
}
