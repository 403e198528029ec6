package ditvm.cli;

import ditvm.bench.JavaVsC;
import ditvm.device.Device;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ditvm bench java-vs-c}: the Java kernels next to the hand-written C ones of the same shape, interleaved. */
@Command(name = "java-vs-c", description = "The Java CPU GEMM against gemm_cpu.cl, interleaved on one device; "
        + "ratio = C median / Java median.")
final class JavaVsCBench implements Runnable {
    @Mixin
    BenchCommand.Common common;

    @Option(names = "--gemm", split = ";", defaultValue = "2048,1152,384;2048,384,384;2048,1536,384;2048,384,1536",
            description = "GEMM shapes M,N,K separated by ';' (default: the DiT-S/2 batch-8 shapes).")
    List<String> gemm;

    @Override
    public void run() {
        BenchCommand.positive("--iterations", common.iterations);
        List<int[]> shapes = new ArrayList<>();
        for (String s : gemm) {
            String[] p = s.trim().split(",");
            if (p.length != 3) {
                throw new Errors.UsageException("--gemm takes M,N,K triples separated by ';', found '" + s + "'");
            }
            int[] mnk = new int[3];
            for (int i = 0; i < 3; i++) {
                try {
                    mnk[i] = Integer.parseInt(p[i].trim());
                } catch (NumberFormatException e) {
                    throw new Errors.UsageException("--gemm: '" + p[i] + "' is not a whole number");
                }
                BenchCommand.positive("--gemm M, N and K", mnk[i]);
            }
            shapes.add(mnk);
        }
        Device device = common.device();
        List<JavaVsC.Pair> pairs = JavaVsC.all(device, shapes, common.warmUp, common.iterations);
        double[] translate = JavaVsC.warmTranslateMs();
        if (common.json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (JavaVsC.Pair p : pairs) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("kernel", p.kernel());
                m.put("shape", p.shape());
                m.put("c_median_s", p.c().median());
                m.put("java_median_s", p.java().median());
                m.put("ratio", p.ratio());
                m.put("c_gflops", 2.0 * p.macs() / p.c().median() / 1e9);
                m.put("java_gflops", 2.0 * p.macs() / p.java().median() / 1e9);
                m.put("translate_ms", p.translateMs());
                rows.add(m);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("device", device.id());
            doc.put("rows", rows);
            doc.put("warm_translate_ms", translate);
            System.out.println(Json.write(doc));
            return;
        }
        System.out.println("| kernel | shape | C ms | Java ms | C / Java | C GFLOP/s or GB/s | Java GFLOP/s or GB/s | bytecode to C ms |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
        for (JavaVsC.Pair p : pairs) {
            boolean flops = p.macs() > 0;
            double c = flops ? 2.0 * p.macs() / p.c().median() / 1e9 : p.bytes() / p.c().median() / 1e9;
            double j = flops ? 2.0 * p.macs() / p.java().median() / 1e9 : p.bytes() / p.java().median() / 1e9;
            System.out.printf(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.2f | %.1f %s | %.1f %s | %.1f |%n", p.kernel(), p.shape(),
                    p.c().median() * 1e3, p.java().median() * 1e3, p.ratio(), c, flops ? "GFLOP/s" : "GB/s", j,
                    flops ? "GFLOP/s" : "GB/s", p.translateMs());
        }
        double[] sorted = translate.clone();
        java.util.Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%nbytecode to C in a warm JVM (each kernel with its callees, median of 9 runs after 100 warm-up translations): "
                + "median %.2f ms over %d kernels (%.2f .. %.2f ms)%n", sorted[sorted.length / 2], sorted.length, sorted[0],
                sorted[sorted.length - 1]);
    }
}
