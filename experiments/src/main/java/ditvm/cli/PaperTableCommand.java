package ditvm.cli;

import ditvm.model.DiTConfig;
import ditvm.model.Variant;
import ditvm.model.flops.FlopCounter;
import ditvm.model.flops.ParamCounter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ditvm paper-table}: the DiT paper's Table 4 (12 models at 256x256, XL/2 at 512x512) and
 * Figure 5 (XL/2 by conditioning variant) next to our analytic counts.
 */
@Command(name = "paper-table", mixinStandardHelpOptions = true,
        description = "The DiT paper's Table 4 and Figure 5 Gflops and parameters next to ours, computed from the"
                + " architecture.")
final class PaperTableCommand implements Runnable {

    /** The command that regenerates the committed table. */
    static final String REGENERATE = "bin/ditvm paper-table --markdown > results/paper-gflops.md";

    /** One printed value of the paper (Peebles & Xie, arXiv 2212.09748v2): what we compare against. */
    record Published(String source, String model, Variant variant, int imageSize, double gflops, int paramsM) {
    }

    static final List<Published> PAPER = List.of(
            new Published("Table 4", "DiT-S/8", Variant.ADALN_ZERO, 256, 0.36, 33),
            new Published("Table 4", "DiT-S/4", Variant.ADALN_ZERO, 256, 1.41, 33),
            new Published("Table 4", "DiT-S/2", Variant.ADALN_ZERO, 256, 6.06, 33),
            new Published("Table 4", "DiT-B/8", Variant.ADALN_ZERO, 256, 1.42, 131),
            new Published("Table 4", "DiT-B/4", Variant.ADALN_ZERO, 256, 5.56, 130),
            new Published("Table 4", "DiT-B/2", Variant.ADALN_ZERO, 256, 23.01, 130),
            new Published("Table 4", "DiT-L/8", Variant.ADALN_ZERO, 256, 5.01, 459),
            new Published("Table 4", "DiT-L/4", Variant.ADALN_ZERO, 256, 19.70, 458),
            new Published("Table 4", "DiT-L/2", Variant.ADALN_ZERO, 256, 80.71, 458),
            new Published("Table 4", "DiT-XL/8", Variant.ADALN_ZERO, 256, 7.39, 676),
            new Published("Table 4", "DiT-XL/4", Variant.ADALN_ZERO, 256, 29.05, 675),
            new Published("Table 4", "DiT-XL/2", Variant.ADALN_ZERO, 256, 118.64, 675),
            new Published("Table 4", "DiT-XL/2", Variant.ADALN_ZERO, 512, 524.60, 675),
            new Published("Figure 5", "DiT-XL/2", Variant.IN_CONTEXT, 256, 119.37, 449),
            new Published("Figure 5", "DiT-XL/2", Variant.CROSS_ATTENTION, 256, 137.62, 598),
            new Published("Figure 5", "DiT-XL/2", Variant.ADALN, 256, 118.56, 600),
            new Published("Figure 5", "DiT-XL/2", Variant.ADALN_ZERO, 256, 118.64, 675));

    /** A published row with our counts for the same model. */
    record Row(Published paper, double gflops, long params) {
        double difference() {
            return gflops - paper.gflops();
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "One JSON document on stdout.")
    boolean json;

    @Option(names = "--markdown", description = "A Markdown document (the one in results/paper-gflops.md).")
    boolean markdown;

    @Override
    public void run() {
        if (json && markdown) {
            throw new Errors.UsageException("give --json or --markdown, not both");
        }
        List<Row> rows = new ArrayList<>();
        for (Published p : PAPER) {
            DiTConfig c = DiTConfig.preset(p.model(), p.imageSize());
            rows.add(new Row(p, FlopCounter.count(c, p.variant()).gflops(),
                    ParamCounter.count(c, p.variant()).total()));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(rows.stream().map(PaperTableCommand::jsonRow).toList()));
        } else if (markdown) {
            markdown(out, rows);
        } else {
            text(out, rows);
        }
        out.flush();
    }

    private static Map<String, Object> jsonRow(Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", r.paper().model());
        m.put("variant", r.paper().variant().cliName());
        m.put("image_size", r.paper().imageSize());
        m.put("paper_gflops", r.paper().gflops());
        m.put("gflops", r.gflops());
        m.put("paper_params_m", r.paper().paramsM());
        m.put("params", r.params());
        return m;
    }

    private static void text(PrintWriter out, List<Row> rows) {
        String f = "%-8s  %-9s  %-15s  %5s  %12s  %10s  %8s  %13s  %9s%n";
        out.printf(Locale.ROOT, f, "source", "model", "variant", "image", "paper Gflops", "ours", "diff",
                "paper params M", "ours M");
        for (Row r : rows) {
            Published p = r.paper();
            out.printf(Locale.ROOT, f, p.source(), p.model(), p.variant().cliName(), p.imageSize(),
                    String.format(Locale.ROOT, "%.2f", p.gflops()), String.format(Locale.ROOT, "%.3f", r.gflops()),
                    String.format(Locale.ROOT, "%+.3f", r.difference()), p.paramsM(),
                    String.format(Locale.ROOT, "%.2f", r.params() / 1e6));
        }
        out.printf(Locale.ROOT, "largest |diff| %.4f Gflops; parameters rounding to the paper's: %d of %d%n",
                maxAbsDifference(rows), paramsMatching(rows), rows.size());
    }

    private static void markdown(PrintWriter out, List<Row> rows) {
        out.println("# DiT paper Gflops and parameters, reproduced from the architecture");
        out.println();
        out.println("Generated by `" + REGENERATE + "` (after `make build`).");
        out.println();
        out.println("Paper: Peebles & Xie, *Scalable Diffusion Models with Transformers* (arXiv 2212.09748v2),"
                + " Table 4 and Figure 5. Ours: `FlopCounter` and `ParamCounter` of the `model` module, counted"
                + " from the architecture: MACs of every matrix product plus one per LayerNorm output element,"
                + " batch 1, VAE excluded (one multiply-add = 1 flop, as the paper's first author states in"
                + " facebookresearch/DiT issue #14). Parameters are the"
                + " trainable ones, the fixed position embedding excluded.");
        out.println();
        out.println("| source | model | variant | image size | paper Gflops | ours | difference | paper params (M)"
                + " | ours (M) |");
        out.println("|---|---|---|---:|---:|---:|---:|---:|---:|");
        for (Row r : rows) {
            Published p = r.paper();
            out.printf(Locale.ROOT, "| %s | %s | %s | %d | %.2f | %.3f | %+.3f | %d | %.2f |%n", p.source(), p.model(),
                    p.variant().cliName(), p.imageSize(), p.gflops(), r.gflops(), r.difference(), p.paramsM(),
                    r.params() / 1e6);
        }
        out.println();
        out.printf(Locale.ROOT, "Largest |difference|: %.4f Gflops (the paper prints 2 decimals). Rows whose Gflops"
                        + " round to the printed value: %d of %d. Parameter counts rounding to the printed millions:"
                        + " %d of %d.%n", maxAbsDifference(rows), gflopsMatching(rows), rows.size(),
                paramsMatching(rows), rows.size());
    }

    private static double maxAbsDifference(List<Row> rows) {
        return rows.stream().mapToDouble(r -> Math.abs(r.difference())).max().orElse(0);
    }

    private static long gflopsMatching(List<Row> rows) {
        return rows.stream().filter(r -> Math.round(r.gflops() * 100) == Math.round(r.paper().gflops() * 100)).count();
    }

    private static long paramsMatching(List<Row> rows) {
        return rows.stream().filter(r -> Math.round(r.params() / 1e6) == r.paper().paramsM()).count();
    }
}
