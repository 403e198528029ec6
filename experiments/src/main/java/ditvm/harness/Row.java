package ditvm.harness;

import java.util.List;

/**
 * One measured configuration: a variant of a model at a batch size on a device. Times in ms
 * per forward pass: wall time on the host (inputs copied in, output copied back) and device
 * time (sum of kernel event times). The lists hold every timed execution. {@code host},
 * {@code deviceName} and {@code driver} say where it ran (null in results written before
 * sweeps were sharded over machines).
 */
public record Row(String variant, String model, int imageSize, int batch, String device, String precision,
                  long params, double gflops, long macs,
                  double medianMs, double p10Ms, double p90Ms, double deviceMedianMs,
                  double imagesPerS, double achievedGflopsPerS, Double percentOfPeak,
                  double compileS, double firstExecutionS, int warmup,
                  List<Double> wallMs, List<Double> deviceMs,
                  String host, String deviceName, String driver) {

    public Row {
        precision = precision == null ? "fp32" : precision; // results written before bf16 existed
        wallMs = List.copyOf(wallMs);
        deviceMs = List.copyOf(deviceMs);
    }

    /** The device as a reader names it: its id, and the host when known ({@code cuda:0 on node7}). */
    public String where() {
        return host == null ? device : device + " on " + host;
    }

    /** What identifies a row in a sweep: model, image size, variant, batch, device, precision. */
    public String key() {
        return key(model, imageSize, variant, batch, device, precision);
    }

    public static String key(String model, int imageSize, String variant, int batch, String device, String precision) {
        return model + "|" + imageSize + "|" + variant + "|" + batch + "|" + device + "|" + precision;
    }
}
