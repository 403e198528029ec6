package ditvm.harness;

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

    /** Rows grouped by (model, image size, batch, device), in first-seen order. */
    static Map<String, List<Row>> groups(List<Row> rows) {
        Map<String, List<Row>> g = new LinkedHashMap<>();
        for (Row r : rows) {
            g.computeIfAbsent(r.model() + ", " + r.imageSize() + "x" + r.imageSize() + ", batch " + r.batch() + ", "
                    + r.device() + ("fp32".equals(r.precision()) ? "" : ", " + r.precision()), k -> new java.util.ArrayList<>()).add(r);
        }
        return g;
    }

    /** images/s of this row over the adaLN-Zero row of its group, when there is one. */
    static Optional<Double> relativeToAdaLnZero(Row r, List<Row> group) {
        return group.stream().filter(o -> o.variant().equals("adaln-zero")).findFirst()
                .map(z -> r.imagesPerS() / z.imagesPerS());
    }

    public static String markdown(RunResults run) {
        StringBuilder sb = new StringBuilder();
        Map<String, Object> env = run.environment();
        sb.append("# ditvm run\n\n");
        sb.append("- command: `").append(run.command()).append("`\n");
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
            sb.append("| variant | params (M) | Gflops | median ms (p10-p90) | device ms | images/s | achieved GFLOP/s"
                    + " | % of peak | compile s | vs adaLN-Zero |\n");
            sb.append("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
            for (Row r : rows) {
                sb.append(String.format(Locale.ROOT, "| %s | %.1f | %.2f | %.1f (%.1f-%.1f) | %.1f | %.2f | %.1f | %s | %.2f | %s |%n",
                        r.variant(), r.params() / 1e6, r.gflops(), r.medianMs(), r.p10Ms(), r.p90Ms(), r.deviceMedianMs(),
                        r.imagesPerS(), r.achievedGflopsPerS(),
                        r.percentOfPeak() == null ? "-" : String.format(Locale.ROOT, "%.0f%%", r.percentOfPeak()),
                        r.compileS(), relativeToAdaLnZero(r, rows).map(x -> String.format(Locale.ROOT, "%.2fx", x)).orElse("-")));
            }
        }
        appendSampling(sb, run.rows());
        return sb.toString();
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
            + "device_median_ms,images_per_s,achieved_gflops_per_s,percent_of_peak,compile_s,first_execution_s,"
            + "sampling_steps,sampling_s_per_step,sampling_s,sampling_images_per_s,forward_doubled_ms";

    public static String csv(RunResults run) {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (Row r : run.rows()) {
            Row.Sampling x = r.sampling();
            String sampling = x == null ? ",,,," : String.format(Locale.ROOT, "%d,%.5f,%.4f,%.5f,%.4f", x.steps(),
                    x.secondsPerStep(), x.samplingS(), x.imagesPerS(), x.forwardDoubledMs());
            sb.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%s,%s,%d,%.4f,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.3f,%s,%.4f,%.4f,%s%n",
                    r.variant(), r.model(), r.imageSize(), r.batch(), r.device(), r.precision(), r.params(), r.gflops(), r.macs(),
                    r.medianMs(), r.p10Ms(), r.p90Ms(), r.deviceMedianMs(), r.imagesPerS(), r.achievedGflopsPerS(),
                    r.percentOfPeak() == null ? "" : String.format(Locale.ROOT, "%.2f", r.percentOfPeak()),
                    r.compileS(), r.firstExecutionS(), sampling));
        }
        return sb.toString();
    }
}
