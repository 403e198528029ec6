package ditvm.cli;

import ditvm.harness.ModelBench;
import ditvm.model.Precision;
import picocli.CommandLine.Option;

/** How the harness measures: warm-up and timed executions, weights seed. */
final class RunOptions {

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed executions after the first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--iterations", defaultValue = "5", description = "Timed executions per row. Default: ${DEFAULT-VALUE}.")
    int iterations;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the official initialisation. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16",
            description = "GEMM operands: fp32 (default, the reference) or bf16 with fp32 accumulation (CUDA sm_80+, java).")
    String precision;

    @Option(names = "--sampling-steps", defaultValue = "0", paramLabel = "N",
            description = "Also time full N-step DDPM sampling with guidance (scale 4, 3 channels) per row. Default: 0 (off).")
    int samplingSteps;

    ModelBench.Settings settings() {
        if (warmup < 0 || iterations < 1) {
            throw new Errors.UsageException("need --warmup >= 0 and --iterations >= 1, found " + warmup + " and " + iterations);
        }
        try {
            return new ModelBench.Settings(warmup, iterations, seed, Precision.parse(precision), samplingSteps);
        } catch (IllegalArgumentException e) {
            throw new Errors.UsageException(e.getMessage());
        }
    }
}
