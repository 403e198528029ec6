package ditvm.harness;

import java.util.List;

/**
 * One measured configuration: a variant of a model at a batch size on a device. Times in ms
 * per forward pass: wall time on the host (inputs copied in, output copied back) and device
 * time (sum of kernel event times). The lists hold every timed execution.
 */
public record Row(String variant, String model, int imageSize, int batch, String device, String precision,
                  long params, double gflops, long macs,
                  double medianMs, double p10Ms, double p90Ms, double deviceMedianMs,
                  double imagesPerS, double achievedGflopsPerS, Double percentOfPeak,
                  double compileS, double firstExecutionS, int warmup,
                  List<Double> wallMs, List<Double> deviceMs, Sampling sampling) {

    /**
     * Full N-step sampling with guidance of {@code batch} images ({@code --sampling-steps N}), measured
     * in the same run: seconds per reverse step (median over the steps after the first, which uploads
     * the weights), the N steps' seconds and images/s (first step included, compile apart), and one
     * forward pass of the doubled batch (2 x batch rows; median ms of one timed after each step) with
     * their ratio; every step's and every paired forward pass's ms.
     */
    public record Sampling(int steps, String sampler, double cfgScale, int guidedChannels, double secondsPerStep,
                           double samplingS, double imagesPerS, double forwardDoubledMs, double stepOverForward,
                           List<Double> stepMs, List<Double> forwardMs) {
        public Sampling {
            stepMs = List.copyOf(stepMs);
            forwardMs = forwardMs == null ? List.of() : List.copyOf(forwardMs);
        }
    }

    public Row {
        precision = precision == null ? "fp32" : precision; // results written before bf16 existed
        wallMs = List.copyOf(wallMs);
        deviceMs = List.copyOf(deviceMs);
    }

    /** This row with its sampling measurement. */
    public Row withSampling(Sampling s) {
        return new Row(variant, model, imageSize, batch, device, precision, params, gflops, macs, medianMs, p10Ms, p90Ms,
                deviceMedianMs, imagesPerS, achievedGflopsPerS, percentOfPeak, compileS, firstExecutionS, warmup, wallMs,
                deviceMs, s);
    }

    /** What identifies a row in a sweep: model, image size, variant, batch, device, precision. */
    public String key() {
        return key(model, imageSize, variant, batch, device, precision);
    }

    public static String key(String model, int imageSize, String variant, int batch, String device, String precision) {
        return model + "|" + imageSize + "|" + variant + "|" + batch + "|" + device + "|" + precision;
    }
}
