package ditvm.cli;

import ditvm.harness.Report;
import ditvm.harness.Row;
import ditvm.harness.RunResults;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** What ablation and sweep print: the report table, or the CLI.md JSON; and the command line they record. */
final class HarnessOutput {

    private HarnessOutput() {
    }

    /** Where run folders go: $DITVM_RESULTS (bin/ditvm sets the repository's results/), else ./results. */
    static Path resultsDir() {
        String env = System.getenv("DITVM_RESULTS");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of("results");
    }

    /** The exact command, as typed after bin/ditvm (arguments with spaces quoted). */
    static String command(CommandSpec spec) {
        List<String> args = spec.commandLine().getParseResult() == null ? List.of()
                : topLevel(spec).getParseResult().originalArgs();
        StringBuilder sb = new StringBuilder("bin/ditvm");
        for (String a : args) {
            sb.append(' ').append(a.matches("[A-Za-z0-9_./:=,+@%-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }

    /** The arguments typed after the subcommand's name ({@code sweep --models ... --> --models ...}). */
    static List<String> subcommandArgs(CommandSpec spec) {
        if (spec.commandLine().getParseResult() == null) {
            return List.of();
        }
        List<String> all = topLevel(spec).getParseResult().originalArgs();
        int at = all.indexOf(spec.name());
        return at < 0 ? all : all.subList(at + 1, all.size());
    }

    private static picocli.CommandLine topLevel(CommandSpec spec) {
        picocli.CommandLine cl = spec.commandLine();
        while (cl.getParent() != null) {
            cl = cl.getParent();
        }
        return cl;
    }

    static void print(java.io.PrintWriter out, RunResults run, Path dir, boolean json) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run_dir", dir.toString());
            m.put("rows", run.rows().stream().map(HarnessOutput::summary).toList());
            out.println(Json.write(m));
        } else {
            out.print(Report.markdown(run));
            out.println("\nwritten: " + dir);
        }
        out.flush();
    }

    /** The CLI.md ablation row (no raw timings); with --peers, {@code peers: {name: images_per_s}}. */
    static Map<String, Object> summary(Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("variant", r.variant());
        m.put("model", r.model());
        m.put("image_size", r.imageSize());
        m.put("batch", r.batch());
        m.put("device", r.device());
        m.put("precision", r.precision());
        m.put("params", r.params());
        m.put("gflops", r.gflops());
        m.put("median_ms", r.medianMs());
        m.put("p10_ms", r.p10Ms());
        m.put("p90_ms", r.p90Ms());
        m.put("device_median_ms", r.deviceMedianMs());
        m.put("images_per_s", r.imagesPerS());
        m.put("achieved_gflops_per_s", r.achievedGflopsPerS());
        m.put("percent_of_peak", r.percentOfPeak());
        m.put("compile_s", r.compileS());
        if (!r.peers().isEmpty()) {
            Map<String, Object> peers = new LinkedHashMap<>();
            r.peers().forEach((name, p) -> peers.put(name, p.imagesPerS()));
            m.put("peers", peers);
        }
        if (r.sampling() != null) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("steps", r.sampling().steps());
            x.put("seconds_per_step", r.sampling().secondsPerStep());
            x.put("sampling_s", r.sampling().samplingS());
            x.put("images_per_s", r.sampling().imagesPerS());
            x.put("forward_doubled_ms", r.sampling().forwardDoubledMs());
            x.put("step_over_forward", r.sampling().stepOverForward());
            m.put("sampling", x);
        }
        return m;
    }
}
