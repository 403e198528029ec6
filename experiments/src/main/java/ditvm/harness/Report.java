package ditvm.harness;

import ditvm.harness.peers.PeerResult;
import ditvm.harness.peers.Peers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * report.md and results.csv of a run, as pure functions of its {@link RunResults}: the same
 * results.json always gives byte-identical files.
 */
public final class Report {

    private Report() {
    }

    /**
     * Rows grouped by (model, image size, batch, device), in first-seen order; the device named
     * with its host when the rows come from more than one machine.
     */
    static Map<String, List<Row>> groups(List<Row> rows) {
        java.util.function.Function<Row, String> device = deviceName(rows);
        Map<String, List<Row>> g = new LinkedHashMap<>();
        for (Row r : rows) {
            g.computeIfAbsent(r.model() + ", " + r.imageSize() + "x" + r.imageSize() + ", batch " + r.batch() + ", "
                    + device.apply(r) + ("fp32".equals(r.precision()) ? "" : ", " + r.precision()),
                    k -> new java.util.ArrayList<>()).add(r);
        }
        return g;
    }

    /** The devices the rows ran on, in first-seen order, each with its host when there are several machines. */
    static List<String> devices(List<Row> rows) {
        return rows.stream().map(deviceName(rows)).distinct().toList();
    }

    /** How the rows' device is named: its id, with its host when {@code rows} come from several machines. */
    static java.util.function.Function<Row, String> deviceName(List<Row> rows) {
        boolean hosts = rows.stream().map(Row::host).distinct().count() > 1;
        return r -> hosts ? r.where() : r.device();
    }

    /** images/s of this row over the adaLN-Zero row of its group, when there is one. */
    static Optional<Double> relativeToAdaLnZero(Row r, List<Row> group) {
        return group.stream().filter(o -> o.variant().equals("adaln-zero")).findFirst()
                .map(z -> r.imagesPerS() / z.imagesPerS());
    }

    /** The peers measured in a group, in --peers order of first appearance, with the column label each gave. */
    static Map<String, String> peerLabels(List<Row> group) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (Row r : group) {
            r.peers().forEach((name, p) -> labels.putIfAbsent(name, p.label()));
        }
        return labels;
    }

    /** ditvm's images/s over the peer's in this row, or "-" where the row has no such peer. */
    static String versus(Row r, String peer) {
        PeerResult p = r.peers().get(peer);
        return p == null ? "-" : String.format(Locale.ROOT, "%.2fx", r.imagesPerS() / p.imagesPerS());
    }

    public static String markdown(RunResults run) {
        StringBuilder sb = new StringBuilder();
        Map<String, Object> env = run.environment();
        sb.append("# ditvm run\n\n");
        sb.append("- command: `").append(run.command()).append("`\n");
        if (env.get("shards") instanceof List<?> shards) {
            sb.append("- merged from ").append(shards.size()).append(" shard run(s) (`shards/*/env-K.json`):\n");
            for (Object o : shards) {
                if (o instanceof Map<?, ?> m) {
                    sb.append("  - shard ").append(m.get("shard")).append(" of plan ").append(m.get("plan")).append(" on ")
                            .append(m.get("host")).append(": ");
                    machine(sb, m);
                    sb.append('\n');
                }
            }
        } else {
            sb.append("- commit: ").append(env.get("git_commit")).append(Boolean.TRUE.equals(env.get("git_dirty")) ? " (with uncommitted changes)" : "")
                    .append(", at ").append(env.get("time_utc")).append('\n');
            sb.append("- machine: ").append(env.get("cpu")).append(", ").append(env.get("cores")).append(" cores; ")
                    .append(env.get("os")).append("; ").append(env.get("jvm")).append('\n');
            if (env.get("devices") instanceof List<?> devices) {
                for (Object o : devices) {
                    if (o instanceof Map<?, ?> d) {
                        sb.append("- device ").append(d.get("id")).append(": ").append(d.get("name")).append(" (")
                                .append(d.get("driver")).append(")\n");
                    }
                }
            }
        }
        for (Calibration.Result c : run.calibration()) {
            sb.append(String.format(Locale.ROOT, "- peak of %s: its GEMM at %d x %d x %d, %.1f GFLOP/s (the 100%% of \"%% of peak\")%n",
                    c.device(), c.m(), c.n(), c.k(), c.gflopsPerSecond()));
        }
        sb.append("- per row: kernels compiled first (compile s: JIT seconds of the kernels that no earlier row of the run"
                + " and no on-disk cache had built), one first execution (weights uploaded), then the warm-up and timed"
                + " executions; ms are wall time per forward pass (inputs in, output back), device ms the sum of"
                + " kernel event times; Gflops per image in the paper's convention (MACs + LayerNorm elements);"
                + " achieved GFLOP/s = 2 x MACs / median time\n");
        for (Map.Entry<String, List<Row>> g : groups(run.rows()).entrySet()) {
            List<Row> rows = g.getValue();
            sb.append("\n## ").append(g.getKey()).append(String.format(Locale.ROOT, " (%d warm-up, %d timed)%n%n",
                    rows.getFirst().warmup(), rows.getFirst().wallMs().size()));
            Map<String, String> peers = peerLabels(rows);
            sb.append("| variant | params (M) | Gflops | median ms (p10-p90) | device ms | images/s | achieved GFLOP/s"
                    + " | % of peak | compile s | vs adaLN-Zero |");
            peers.values().forEach(l -> sb.append(" vs ").append(l).append(" |"));
            sb.append("\n|---|---:|---:|---|---:|---:|---:|---:|---:|---:|").append("---:|".repeat(peers.size())).append('\n');
            for (Row r : rows) {
                sb.append(String.format(Locale.ROOT, "| %s | %.1f | %.2f | %.1f (%.1f-%.1f) | %.1f | %.2f | %.1f | %s | %.2f | %s |",
                        r.variant(), r.params() / 1e6, r.gflops(), r.medianMs(), r.p10Ms(), r.p90Ms(), r.deviceMedianMs(),
                        r.imagesPerS(), r.achievedGflopsPerS(),
                        r.percentOfPeak() == null ? "-" : String.format(Locale.ROOT, "%.0f%%", r.percentOfPeak()),
                        r.compileS(), relativeToAdaLnZero(r, rows).map(x -> String.format(Locale.ROOT, "%.2fx", x)).orElse("-")));
                peers.keySet().forEach(name -> sb.append(' ').append(versus(r, name)).append(" |"));
                sb.append('\n');
            }
            if (!peers.isEmpty()) {
                appendPeers(sb, rows, peers);
            }
        }
        sideBySide(sb, run.rows());
        if (!run.missing().isEmpty()) {
            sb.append("\n## Missing rows (").append(run.missing().size())
                    .append("): their shard has not finished or failed; `sweep ... --shard K/N` again resumes it\n\n");
            run.missing().forEach(m -> sb.append("- ").append(m).append('\n'));
        }
        appendSampling(sb, run.rows());
        return sb.toString();
    }

    /** One shard machine's line: CPU, cores, OS, JVM, devices with drivers, commit. */
    private static void machine(StringBuilder sb, Map<?, ?> m) {
        sb.append(m.get("cpu")).append(", ").append(m.get("cores")).append(" cores; ").append(m.get("os")).append("; ")
                .append(m.get("jvm"));
        if (m.get("devices") instanceof List<?> devices) {
            for (Object o : devices) {
                if (o instanceof Map<?, ?> d) {
                    sb.append("; ").append(d.get("id")).append(": ").append(d.get("name")).append(" (").append(d.get("driver")).append(')');
                }
            }
        }
        sb.append("; commit ").append(m.get("git_commit")).append(Boolean.TRUE.equals(m.get("git_dirty")) ? " (with uncommitted changes)" : "")
                .append(", at ").append(m.get("time_utc"));
    }

    /** With rows from more than one device: images/s of every configuration, one column per device. */
    private static void sideBySide(StringBuilder sb, List<Row> rows) {
        List<String> devices = devices(rows);
        if (devices.size() < 2) {
            return;
        }
        java.util.function.Function<Row, String> device = deviceName(rows);
        Map<String, Map<String, Row>> table = new LinkedHashMap<>();
        for (Row r : rows) {
            table.computeIfAbsent(r.model() + " | " + r.imageSize() + " | " + r.batch() + " | " + r.variant()
                    + ("fp32".equals(r.precision()) ? "" : " (" + r.precision() + ")"), k -> new LinkedHashMap<>())
                    .put(device.apply(r), r);
        }
        sb.append("\n## Devices side by side: images/s\n\n| model | image | batch | variant | ")
                .append(String.join(" | ", devices)).append(" |\n|---|---:|---:|---|").append("---:|".repeat(devices.size())).append('\n');
        for (Map.Entry<String, Map<String, Row>> e : table.entrySet()) {
            sb.append("| ").append(e.getKey()).append(" |");
            for (String d : devices) {
                Row r = e.getValue().get(d);
                sb.append(' ').append(r == null ? "-" : String.format(Locale.ROOT, "%.2f", r.imagesPerS())).append(" |");
            }
            sb.append('\n');
        }
    }

    /** The peers' own figures under a group's table: what each is, its times, and its output check. */
    private static void appendPeers(StringBuilder sb, List<Row> rows, Map<String, String> peers) {
        sb.append("\nPeers, same model, weights (random, every tensor: the output check would be vacuous on the official"
                + " init's zero output layer) and inputs, measured in the same run: first and warm-up executions beside"
                + " ditvm's, then each timed iteration runs ditvm and every peer once in turn. Output check:"
                + " max|peer - ditvm| / max|ditvm| <= 1e-4.\n\n");
        Map<String, String> described = new LinkedHashMap<>();
        for (Row r : rows) {
            r.peers().forEach((name, p) -> described.putIfAbsent(name, p.description()));
        }
        described.forEach((name, d) -> sb.append("- ").append(name).append(": ").append(d).append('\n'));
        sb.append("\n| variant | peer | median ms (p10-p90) | images/s | ditvm vs peer | max rel. diff |\n");
        sb.append("|---|---|---|---:|---:|---:|\n");
        for (Row r : rows) {
            for (String name : peers.keySet()) {
                PeerResult p = r.peers().get(name);
                if (p != null) {
                    sb.append(String.format(Locale.ROOT, "| %s | %s | %.1f (%.1f-%.1f) | %.2f | %s | %.1e |%n", r.variant(), p.label(),
                            p.medianMs(), p.p10Ms(), p.p90Ms(), p.imagesPerS(), versus(r, name), p.maxRelativeDiff()));
                }
            }
        }
    }

    /** The sampling table (rows measured with --sampling-steps), if any. */
    private static void appendSampling(StringBuilder sb, List<Row> rows) {
        List<Row> sampled = rows.stream().filter(r -> r.sampling() != null).toList();
        if (sampled.isEmpty()) {
            return;
        }
        sb.append("\n## Sampling: full reverse process with classifier-free guidance\n\n");
        sb.append("Per row: `batch` images, N DDPM steps, guidance scale 4 on the first 3 channels (`sample.py`), Philox"
                + " noise, official init; s/step is the median step after the first (which uploads the weights), sampling s"
                + " the sum of the N steps (first included, compile apart), images/s = batch / sampling s; forward 2B ms is"
                + " the median of one forward pass of the doubled batch timed after each step, in the same run.\n\n");
        sb.append("| model | batch | device | variant | steps | s/step | forward 2B ms | step / forward | sampling s | images/s |\n");
        sb.append("|---|---:|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : sampled) {
            Row.Sampling x = r.sampling();
            sb.append(String.format(Locale.ROOT, "| %s %d | %d | %s | %s | %d | %.3f | %.1f | %.3fx | %.1f | %.3f |%n",
                    r.model(), r.imageSize(), r.batch(), r.device(), r.variant(), x.steps(), x.secondsPerStep(),
                    x.forwardDoubledMs(), x.stepOverForward(), x.samplingS(), x.imagesPerS()));
        }
    }

    static final String CSV_HEADER = "variant,model,image_size,batch,device,precision,params,gflops,macs,median_ms,p10_ms,p90_ms,"
            + "device_median_ms,images_per_s,achieved_gflops_per_s,percent_of_peak,compile_s,first_execution_s,host,device_name,driver,"
            + String.join(",", Peers.NAMES.stream().map(n -> n + "_images_per_s").toList())
            + ",sampling_steps,sampling_s_per_step,sampling_s,sampling_images_per_s,forward_doubled_ms";

    public static String csv(RunResults run) {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (Row r : run.rows()) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%s,%s,%d,%.4f,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.3f,%s,%.4f,%.4f,%s,%s,%s",
                    r.variant(), r.model(), r.imageSize(), r.batch(), r.device(), r.precision(), r.params(), r.gflops(), r.macs(),
                    r.medianMs(), r.p10Ms(), r.p90Ms(), r.deviceMedianMs(), r.imagesPerS(), r.achievedGflopsPerS(),
                    r.percentOfPeak() == null ? "" : String.format(Locale.ROOT, "%.2f", r.percentOfPeak()),
                    r.compileS(), r.firstExecutionS(), csvText(r.host()), csvText(r.deviceName()), csvText(r.driver())));
            for (String name : Peers.NAMES) {
                PeerResult p = r.peers().get(name);
                sb.append(',').append(p == null ? "" : String.format(Locale.ROOT, "%.4f", p.imagesPerS()));
            }
            Row.Sampling x = r.sampling();
            sb.append(x == null ? ",,,,," : String.format(Locale.ROOT, ",%d,%.5f,%.4f,%.5f,%.4f", x.steps(),
                    x.secondsPerStep(), x.samplingS(), x.imagesPerS(), x.forwardDoubledMs()));
            sb.append('\n');
        }
        return sb.toString();
    }

    /** A text cell: empty when unknown, quoted when it holds a comma or quote. */
    private static String csvText(String s) {
        if (s == null) {
            return "";
        }
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
