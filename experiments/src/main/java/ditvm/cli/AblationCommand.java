package ditvm.cli;

import ditvm.device.Device;
import ditvm.harness.Environment;
import ditvm.harness.Row;
import ditvm.harness.RunDirectory;
import ditvm.harness.RunResults;
import ditvm.harness.Sweep;
import ditvm.model.DiTConfig;
import ditvm.model.Variant;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ditvm ablation}: the conditioning variants side by side on one model, batch and device. */
@Command(name = "ablation", description = "The four conditioning variants side by side on one model, batch, device.")
final class AblationCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    RunOptions run;

    @Mixin
    KernelCacheOptions kernelCache;

    @Mixin
    PeerOptions peerOptions;

    @Option(names = "--batch", defaultValue = "8", description = "Images per forward pass. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--device", defaultValue = "default", description = "java, opencl:P:D, cuda:N or default.")
    String device;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder. Default: results/<time>-<model>-<image size>-b<batch>-<device> ($DITVM_RESULTS, set by bin/ditvm).")
    Path out;

    @Option(names = "--json", description = "One JSON document on stdout: {run_dir, rows}.")
    boolean json;

    @Override
    public void run() {
        DiTConfig config = model.config("DiT-S/2");
        List<Variant> variants = model.variantsOrAll();
        if (batch < 1) {
            throw new Errors.UsageException("--batch must be >= 1, found " + batch);
        }
        Device dev = kernelCache.device(device);
        Path dir = out != null ? out : HarnessOutput.resultsDir().resolve(runId(config, batch, dev.id()));
        if (java.nio.file.Files.exists(dir)) {
            throw new Errors.UsageException("run folder " + dir + " exists already; give another --out");
        }
        List<Row> rows = new ArrayList<>();
        Sweep.Plan plan = new Sweep.Plan(List.of(config), variants, List.of(batch), List.of(dev), run.settings(),
                peerOptions.resolve(run.precision));
        var calibration = Sweep.run(plan, Set.of(), rows::add, spec.commandLine().getErr());
        RunResults results = new RunResults(Environment.capture(List.of(dev)), HarnessOutput.command(spec), calibration, rows);
        RunDirectory.publish(results, dir);
        HarnessOutput.print(spec.commandLine().getOut(), results, dir, json);
    }

    static String runId(DiTConfig config, int batch, String device) {
        String time = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return (time + "-" + config.modelName() + "-" + config.imageSize() + "-b" + batch + "-" + device)
                .replaceAll("[^A-Za-z0-9.-]", "-");
    }
}
