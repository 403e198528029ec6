package ditvm.cli;

import ditvm.device.Device;
import ditvm.model.DiTConfig;
import ditvm.model.Precision;
import ditvm.model.Variant;
import ditvm.model.graph.DiTForward;
import ditvm.model.weights.DType;
import ditvm.model.weights.DiTWeights;
import ditvm.model.weights.SafeTensors;
import ditvm.model.weights.SafeTensorsWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ditvm forward}: one forward pass from a safetensors input (x [B, C, I, I], t [B],
 * y [B]) to a safetensors output (out [B, out_channels, I, I]).
 */
@Command(name = "forward", description = "One forward pass: safetensors in (x, t, y), safetensors out (out).")
final class ForwardCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--device", defaultValue = "default", description = "java, opencl:P:D, cuda:N or default.")
    String device;

    @Mixin
    KernelCacheOptions kernelCache;

    @Option(names = "--input", required = true, paramLabel = "IN.safetensors", description = "x [B,C,I,I] F32, t [B] F32|I64, y [B] I64|I32.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "OUT.safetensors", description = "Written atomically: out [B,out,I,I] F32.")
    Path output;

    @Option(names = "--weights", paramLabel = "W.safetensors", description = "Official DiT key names. Default: --seed.")
    Path weights;

    @Option(names = "--seed", description = "Official initialisation with this seed (when no --weights). Default: 0.")
    Long seed;

    @Option(names = "--cfg-scale", paramLabel = "S", description = "Classifier-free guidance scale (forward_with_cfg).")
    Float cfgScale;

    @Option(names = "--guided-channels", paramLabel = "N|all", defaultValue = "3",
            description = "Channels guidance applies to: 3 (the official rule) or all. Default: ${DEFAULT-VALUE}.")
    String guidedChannels;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16",
            description = "GEMM operands: fp32 (default, the reference) or bf16 with fp32 accumulation (CUDA sm_80+, java).")
    String precision;

    @Option(names = "--json", description = "One JSON document on stdout.")
    boolean json;

    @Override
    public void run() {
        if (weights != null && seed != null) {
            throw new Errors.UsageException("give --weights or --seed, not both");
        }
        DiTConfig config = model.config();
        Variant variant = model.variant();
        Device dev = kernelCache.device(device);
        try (SafeTensors in = SafeTensors.open(input)) {
            long[] xs = in.shape("x");
            int batch = (int) xs[0];
            long[] expected = {batch, config.inChannels(), config.inputSize(), config.inputSize()};
            if (xs.length != 4 || !Arrays.equals(xs, expected)) {
                throw new Errors.UsageException(input + ": x: expected shape [B, " + config.inChannels() + ", "
                        + config.inputSize() + ", " + config.inputSize() + "] for " + config.modelName() + ", found "
                        + Arrays.toString(xs));
            }
            in.requireShape("t", batch);
            in.requireShape("y", batch);
            float[] x = in.toFloats("x");
            float[] t = timesteps(in);
            int[] y = in.labels("y");
            DiTForward built;
            try (DiTWeights w = weights != null ? DiTWeights.load(weights, config, variant)
                    : DiTWeights.initialize(config, variant, seed == null ? 0 : seed)) {
                built = DiTForward.build(w, batch, dev, Precision.parse(precision),
                        cfgScale == null ? null : new DiTForward.Guidance(cfgScale, guided(config)));
            } // the graph holds packed copies: the weights are freed before anything runs
            try (DiTForward f = built) {
                long t0 = System.nanoTime();
                float[] out = f.forward(x, t, y);
                double seconds = (System.nanoTime() - t0) / 1e9;
                new SafeTensorsWriter()
                        .metadata("ditvm.model", config.describe())
                        .metadata("ditvm.variant", variant.cliName())
                        .put("out", out, batch, config.outChannels(), config.inputSize(), config.inputSize())
                        .write(output);
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("device", dev.id());
                    m.put("seconds", seconds);
                    m.put("output", output.toString());
                    spec.commandLine().getOut().println(Json.write(m));
                } else {
                    spec.commandLine().getOut().printf("%s %s batch %d on %s: %.3f s (first execution: compile and weight upload included) -> %s%n",
                            config.modelName(), variant, batch, dev.id(), seconds, output);
                }
                spec.commandLine().getOut().flush();
            }
        }
    }

    private int guided(DiTConfig config) {
        if (guidedChannels.equalsIgnoreCase("all")) {
            return config.outChannels();
        }
        try {
            return Integer.parseInt(guidedChannels);
        } catch (NumberFormatException e) {
            throw new Errors.UsageException("--guided-channels takes a number or all, found '" + guidedChannels + "'");
        }
    }

    /** t as float32, from F32/F64/F16/BF16 or integer timesteps. */
    private static float[] timesteps(SafeTensors in) {
        DType d = in.dtype("t");
        if (d == DType.I64 || d == DType.I32) {
            long[] l = in.longs("t");
            float[] f = new float[l.length];
            for (int i = 0; i < l.length; i++) {
                f[i] = l[i];
            }
            return f;
        }
        return in.toFloats("t");
    }
}
