package ditvm.cli;

import ditvm.harness.ModelBench;
import picocli.CommandLine.Option;

/** How the harness measures: warm-up and timed executions, weights seed. */
final class RunOptions {

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed executions after the first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--iterations", defaultValue = "5", description = "Timed executions per row. Default: ${DEFAULT-VALUE}.")
    int iterations;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the official initialisation. Default: ${DEFAULT-VALUE}.")
    long seed;

    ModelBench.Settings settings() {
        if (warmup < 0 || iterations < 1) {
            throw new Errors.UsageException("need --warmup >= 0 and --iterations >= 1, found " + warmup + " and " + iterations);
        }
        return new ModelBench.Settings(warmup, iterations, seed);
    }
}
