package ditvm.harness;

import ditvm.device.Device;
import ditvm.harness.peers.Peers;
import ditvm.model.DiTConfig;
import ditvm.model.Variant;
import ditvm.model.flops.FlopCounter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The cartesian product devices x models x batches x variants, measured row by row with a
 * progress line and ETA on {@code progress}. Rows whose key is in {@code done} are skipped;
 * each new row is handed to {@code finished} as soon as it is measured. One calibration GEMM
 * per device, in the same run. With peers, each row measures them too (ModelBench).
 */
public final class Sweep {

    public record Plan(List<DiTConfig> models, List<Variant> variants, List<Integer> batches, List<Device> devices,
                       ModelBench.Settings settings, Peers peers) {
        /** ditvm alone, no peers. */
        public Plan(List<DiTConfig> models, List<Variant> variants, List<Integer> batches, List<Device> devices,
                    ModelBench.Settings settings) {
            this(models, variants, batches, devices, settings, Peers.NONE);
        }

        public int size() {
            return models.size() * variants.size() * batches.size() * devices.size();
        }
    }

    /**
     * One cell of the product: a variant of a model at a batch on a device, the device as the
     * sweep names it ({@code default}, {@code cuda:0}: each machine of a sharded sweep resolves it).
     */
    public record Item(DiTConfig model, Variant variant, int batch, String device) {
        /** As {@link Row#key}, with the device as named. */
        public String key(ModelBench.Settings s) {
            return Row.key(model.modelName(), model.imageSize(), variant.cliName(), batch, device, s.precision().cliName());
        }

        public String label() {
            return String.format(Locale.ROOT, "%s %s batch %d on %s", model.modelName(), variant, batch, device);
        }

        /** The expected cost, known before anything runs: analytic Gflops per image x batch. */
        public double cost() {
            return FlopCounter.count(model, variant).gflops() * batch;
        }
    }

    private Sweep() {
    }

    /** The product in the order it is measured: devices, then models, batches, variants. */
    public static List<Item> product(List<DiTConfig> models, List<Variant> variants, List<Integer> batches, List<String> devices) {
        List<Item> items = new ArrayList<>();
        for (String device : devices) {
            for (DiTConfig model : models) {
                for (int batch : batches) {
                    for (Variant variant : variants) {
                        items.add(new Item(model, variant, batch, device));
                    }
                }
            }
        }
        return items;
    }

    /** Runs the whole plan; returns the calibration per device measured now. */
    public static List<Calibration.Result> run(Plan plan, Set<String> done, Consumer<Row> finished, PrintWriter progress) {
        Map<String, Device> byId = new LinkedHashMap<>();
        plan.devices().forEach(d -> byId.put(d.id(), d));
        return run(product(plan.models(), plan.variants(), plan.batches(), List.copyOf(byId.keySet())), byId::get,
                plan.settings(), plan.peers(), done, (item, row) -> finished.accept(row), progress);
    }

    /**
     * Measures {@code items} in order, skipping those whose {@link Item#key} is in {@code done};
     * {@code devices} resolves a device name the first time an item needs it (a shard never
     * opens a device it has nothing to run on). Returns the calibration per device measured now.
     */
    public static List<Calibration.Result> run(List<Item> items, Function<String, Device> devices, ModelBench.Settings settings,
                                               Peers peers, Set<String> done, BiConsumer<Item, Row> finished,
                                               PrintWriter progress) {
        int total = items.size();
        int index = 0;
        int measured = 0;
        long start = System.nanoTime();
        Map<String, Calibration.Result> peaks = new LinkedHashMap<>();
        for (Item item : items) {
            index++;
            if (done.contains(item.key(settings))) {
                progress.printf(Locale.ROOT, "%s %d/%d %s: done in an earlier run, skipped%n", bar(index, total),
                        index, total, item.label());
                continue;
            }
            Device device = devices.apply(item.device());
            Calibration.Result peak = peaks.get(item.device());
            if (peak == null) {
                progress.printf("calibrating %s (GEMM peak)...%n", device.id());
                progress.flush();
                peak = Calibration.measure(device);
                peaks.put(item.device(), peak);
            }
            Row row = ModelBench.measureWithSampling(item.model(), item.variant(), item.batch(), device, settings,
                    peak.gflopsPerSecond(), peers);
            finished.accept(item, row);
            measured++;
            double perRow = (System.nanoTime() - start) / 1e9 / measured;
            StringBuilder vs = new StringBuilder();
            row.peers().forEach((name, p) -> vs.append(String.format(Locale.ROOT, ", %s %.2f", name, p.imagesPerS())));
            if (row.sampling() != null) {
                vs.append(String.format(Locale.ROOT, "; sampling %d steps %.3f s/step", row.sampling().steps(),
                        row.sampling().secondsPerStep()));
            }
            progress.printf(Locale.ROOT, "%s %d/%d %s: %.1f ms, %.2f images/s%s, ETA %s%n", bar(index, total),
                    index, total, item.label(), row.medianMs(), row.imagesPerS(), vs, eta(perRow * (total - index)));
            progress.flush();
        }
        return new ArrayList<>(peaks.values());
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
