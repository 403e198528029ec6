package ditvm.harness;

import com.fasterxml.jackson.annotation.JsonCreator;
import ditvm.harness.peers.PeerResult;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One measured configuration: a variant of a model at a batch size on a device. Times in ms
 * per forward pass: wall time on the host (inputs copied in, output copied back) and device
 * time (sum of kernel event times). The lists hold every timed execution. {@code host},
 * {@code deviceName} and {@code driver} say where it ran (null in results written before
 * sweeps were sharded over machines). {@code peers}: the same model measured in the same run
 * by each --peers name (empty without --peers); {@code sampling}: see {@link Sampling}.
 */
public record Row(String variant, String model, int imageSize, int batch, String device, String precision,
                  long params, double gflops, long macs,
                  double medianMs, double p10Ms, double p90Ms, double deviceMedianMs,
                  double imagesPerS, double achievedGflopsPerS, Double percentOfPeak,
                  double compileS, double firstExecutionS, int warmup,
                  List<Double> wallMs, List<Double> deviceMs,
                  String host, String deviceName, String driver, Map<String, PeerResult> peers, Sampling sampling) {

    /**
     * Full N-step sampling with guidance of {@code batch} images ({@code --sampling-steps N}), measured
     * in the same run: seconds per reverse step (median over the steps after the first, which uploads
     * the weights), the N steps' seconds and images/s (first step included, compile apart), and one
     * forward pass of the doubled batch (2 x batch rows; median ms of one timed after each step) with
     * their ratio; every step's and every paired forward pass's ms. Null without --sampling-steps.
     */
    public record Sampling(int steps, String sampler, double cfgScale, int guidedChannels, double secondsPerStep,
                           double samplingS, double imagesPerS, double forwardDoubledMs, double stepOverForward,
                           List<Double> stepMs, List<Double> forwardMs) {
        public Sampling {
            stepMs = List.copyOf(stepMs);
            forwardMs = forwardMs == null ? List.of() : List.copyOf(forwardMs);
        }
    }

    @JsonCreator
    public Row {
        precision = precision == null ? "fp32" : precision; // results written before bf16 existed
        wallMs = List.copyOf(wallMs);
        deviceMs = List.copyOf(deviceMs);
        peers = peers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(peers)); // results written before peers existed
    }

    /** A row measured without peers. */
    public Row(String variant, String model, int imageSize, int batch, String device, String precision,
               long params, double gflops, long macs,
               double medianMs, double p10Ms, double p90Ms, double deviceMedianMs,
               double imagesPerS, double achievedGflopsPerS, Double percentOfPeak,
               double compileS, double firstExecutionS, int warmup,
               List<Double> wallMs, List<Double> deviceMs, String host, String deviceName, String driver) {
        this(variant, model, imageSize, batch, device, precision, params, gflops, macs, medianMs, p10Ms, p90Ms, deviceMedianMs,
                imagesPerS, achievedGflopsPerS, percentOfPeak, compileS, firstExecutionS, warmup, wallMs, deviceMs,
                host, deviceName, driver, Map.of(), null);
    }

    /** This row with its sampling measurement. */
    public Row withSampling(Sampling s) {
        return new Row(variant, model, imageSize, batch, device, precision, params, gflops, macs, medianMs, p10Ms, p90Ms,
                deviceMedianMs, imagesPerS, achievedGflopsPerS, percentOfPeak, compileS, firstExecutionS, warmup, wallMs,
                deviceMs, host, deviceName, driver, peers, s);
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
