package ditvm.cli;

import ditvm.bench.TranslateTimes;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ditvm bench translate}: the JIT's warm bytecode-to-C time for each of the model's Java kernels. */
@Command(name = "translate", description = "Bytecode-to-C time of every Java kernel in a warm JVM "
        + "(median of 9 after 100 warm-up translations).")
final class TranslateBench implements Runnable {
    @Option(names = "--json", description = "One JSON document on stdout.")
    boolean json;

    @Override
    public void run() {
        Map<String, Double> ms = TranslateTimes.all();
        double[] sorted = ms.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted[sorted.length / 2];
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("kernels_ms", ms);
            doc.put("median_ms", median);
            System.out.println(Json.write(doc));
            return;
        }
        System.out.println("| kernel method | bytecode to C, ms |");
        System.out.println("|---|---:|");
        ms.forEach((k, v) -> System.out.printf(Locale.ROOT, "| %s | %.2f |%n", k, v));
        System.out.printf(Locale.ROOT, "%nmedian %.2f ms over %d kernel methods (%.2f .. %.2f ms)%n", median, sorted.length,
                sorted[0], sorted[sorted.length - 1]);
    }
}
