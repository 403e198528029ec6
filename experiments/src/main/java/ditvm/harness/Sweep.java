package ditvm.harness;

import ditvm.device.Device;
import ditvm.model.DiTConfig;
import ditvm.model.Variant;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The cartesian product devices x models x batches x variants, measured row by row with a
 * progress line and ETA on {@code progress}. Rows whose key is in {@code done} are skipped;
 * each new row is handed to {@code finished} as soon as it is measured. One calibration GEMM
 * per device, in the same run.
 */
public final class Sweep {

    public record Plan(List<DiTConfig> models, List<Variant> variants, List<Integer> batches, List<Device> devices,
                       ModelBench.Settings settings) {
        public int size() {
            return models.size() * variants.size() * batches.size() * devices.size();
        }
    }

    private Sweep() {
    }

    /** Runs the plan; returns the calibration per device measured now. */
    public static List<Calibration.Result> run(Plan plan, Set<String> done, Consumer<Row> finished, PrintWriter progress) {
        int total = plan.size();
        int index = 0;
        int measured = 0;
        long start = System.nanoTime();
        List<Calibration.Result> calibrations = new ArrayList<>();
        for (Device device : plan.devices()) {
            Calibration.Result peak = null;
            for (DiTConfig model : plan.models()) {
                for (int batch : plan.batches()) {
                    for (Variant variant : plan.variants()) {
                        index++;
                        String label = String.format(Locale.ROOT, "%s %s batch %d on %s", model.modelName(), variant, batch,
                                device.id());
                        String key = Row.key(model.modelName(), model.imageSize(), variant.cliName(), batch, device.id(),
                                plan.settings().precision().cliName());
                        if (done.contains(key)) {
                            progress.printf(Locale.ROOT, "%s %d/%d %s: done in an earlier run, skipped%n", bar(index, total),
                                    index, total, label);
                            continue;
                        }
                        if (peak == null) {
                            progress.printf("calibrating %s (GEMM peak)...%n", device.id());
                            peak = Calibration.measure(device);
                            calibrations.add(peak);
                        }
                        Row row = ModelBench.measureWithSampling(model, variant, batch, device, plan.settings(), peak.gflopsPerSecond());
                        finished.accept(row);
                        measured++;
                        double perRow = (System.nanoTime() - start) / 1e9 / measured;
                        progress.printf(Locale.ROOT, "%s %d/%d %s: %.1f ms, %.2f images/s%s, ETA %s%n", bar(index, total),
                                index, total, label, row.medianMs(), row.imagesPerS(), row.sampling() == null ? ""
                                        : String.format(Locale.ROOT, "; sampling %d steps %.3f s/step", row.sampling().steps(),
                                                row.sampling().secondsPerStep()), eta(perRow * (total - index)));
                        progress.flush();
                    }
                }
            }
        }
        return calibrations;
    }

    static String bar(int index, int total) {
        int width = 20;
        int filled = total == 0 ? width : index * width / total;
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
    }

    static String eta(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s" : s + "s";
    }

    /** Rows keyed as {@link Row#key()}, keeping the last of duplicates. */
    public static Map<String, Row> byKey(List<Row> rows) {
        Map<String, Row> m = new LinkedHashMap<>();
        rows.forEach(r -> m.put(r.key(), r));
        return m;
    }
}
