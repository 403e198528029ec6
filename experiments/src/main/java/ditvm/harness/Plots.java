package ditvm.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * The run's plots, PNG and SVG (XChart): throughput per variant, Gflops against measured time, and
 * full-sampling images/s per variant when rows were measured with --sampling-steps.
 */
public final class Plots {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {
    }

    /**
     * Writes throughput.{png,svg} and gflops-vs-time.{png,svg} into {@code dir}; with rows from
     * more than one device (a merged sharded sweep, say) also throughput-DEVICE.{png,svg} per device.
     */
    public static void write(RunResults run, Path dir) {
        Map<String, List<Row>> groups = Report.groups(run.rows());
        CategoryChart throughput = new CategoryChartBuilder().width(900).height(500)
                .title("Throughput by conditioning variant").xAxisTitle("variant").yAxisTitle("images / s").build();
        throughput.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        XYChart scatter = new XYChartBuilder().width(900).height(500)
                .title("Cost in the paper's convention vs measured time").xAxisTitle("Gflops per image (paper convention)")
                .yAxisTitle("ms per image (median)").build();
        scatter.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        scatter.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        scatter.getStyler().setMarkerSize(10);
        // every series over the same categories (XChart needs that): a variant a group lacks (a row of an unfinished shard) has no bar
        List<String> order = java.util.Arrays.stream(ditvm.model.Variant.values()).map(ditvm.model.Variant::cliName).toList();
        List<String> variants = run.rows().stream().map(Row::variant).distinct()
                .sorted(java.util.Comparator.comparingInt(v -> order.contains(v) ? order.indexOf(v) : order.size())).toList();
        for (Map.Entry<String, List<Row>> g : groups.entrySet()) {
            List<Row> rows = g.getValue();
            throughput.addSeries(g.getKey(), variants, imagesPerS(variants, rows));
            for (Row r : rows) {
                scatter.addSeries(r.variant() + " (" + g.getKey() + ")", new double[] {r.gflops()},
                        new double[] {r.medianMs() / r.batch()});
            }
        }
        save(throughput, dir.resolve("throughput"));
        List<String> devices = Report.devices(run.rows());
        if (devices.size() > 1) {
            var name = Report.deviceName(run.rows());
            for (String device : devices) {
                CategoryChart one = new CategoryChartBuilder().width(900).height(500)
                        .title("Throughput on " + device).xAxisTitle("variant").yAxisTitle("images / s").build();
                one.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
                for (Map.Entry<String, List<Row>> g : groups.entrySet()) {
                    List<Row> rows = g.getValue();
                    if (device.equals(name.apply(rows.getFirst()))) {
                        one.addSeries(g.getKey(), variants, imagesPerS(variants, rows));
                    }
                }
                save(one, dir.resolve("throughput-" + device.replaceAll("[^A-Za-z0-9.-]+", "-")));
            }
        }
        if (run.rows().stream().anyMatch(r -> r.sampling() != null)) {
            save(sampling(groups), dir.resolve("sampling"));
        }
        save(scatter, dir.resolve("gflops-vs-time"));
    }

    private static List<Double> imagesPerS(List<String> variants, List<Row> rows) {
        return variants.stream().map(v -> rows.stream().filter(r -> r.variant().equals(v)).findFirst().map(Row::imagesPerS)
                .orElse(null)).toList();
    }

    /** Images/s of full guided sampling per variant (rows measured with --sampling-steps). */
    private static CategoryChart sampling(Map<String, List<Row>> groups) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500)
                .title("Full sampling with guidance by conditioning variant").xAxisTitle("variant")
                .yAxisTitle("images / s (N steps, cfg 4)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        for (Map.Entry<String, List<Row>> g : groups.entrySet()) {
            List<Row> rows = g.getValue().stream().filter(r -> r.sampling() != null).toList();
            if (!rows.isEmpty()) {
                chart.addSeries(g.getKey() + ", " + rows.getFirst().sampling().steps() + " steps",
                        rows.stream().map(Row::variant).toList(), rows.stream().map(r -> r.sampling().imagesPerS()).toList());
            }
        }
        return chart;
    }

    private static void save(Chart<?, ?> chart, Path base) {
        try {
            Files.createDirectories(base.getParent());
            BitmapEncoder.saveBitmap(chart, base.toString(), BitmapEncoder.BitmapFormat.PNG);
            VectorGraphicsEncoder.saveVectorGraphic(chart, base.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException("writing plot " + base, e);
        }
    }
}
