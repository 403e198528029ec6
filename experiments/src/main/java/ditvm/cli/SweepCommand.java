package ditvm.cli;

import ditvm.device.Device;
import ditvm.harness.Environment;
import ditvm.harness.Row;
import ditvm.harness.RunDirectory;
import ditvm.harness.RunResults;
import ditvm.harness.Sweep;
import ditvm.kernel.KernelSources;
import ditvm.model.DiTConfig;
import ditvm.model.Variant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ditvm sweep}: ablation over lists of models, variants, batches and devices. Resumable:
 * each finished row is kept in DIR/rows.jsonl, and running the same command again skips them.
 */
@Command(name = "sweep", description = "Ablation over lists of models, variants, batches, devices; resumable.")
final class SweepCommand implements Runnable {

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

    @Option(names = "--models", paramLabel = "LIST", description = "Comma list of models. Default: --model, else DiT-S/2.")
    String models;

    @Option(names = "--batches", defaultValue = "8", paramLabel = "LIST", description = "Comma list of batch sizes. Default: ${DEFAULT-VALUE}.")
    String batches;

    @Option(names = "--devices", defaultValue = "default", paramLabel = "LIST", description = "Comma list of device ids. Default: ${DEFAULT-VALUE}.")
    String devices;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run folder; the same sweep resumes there. Default: results/sweep-<hash of the lists and settings>.")
    Path out;

    @Option(names = "--json", description = "One JSON document on stdout: {run_dir, rows}.")
    boolean json;

    @Override
    public void run() {
        List<DiTConfig> configs = new ArrayList<>();
        if (models == null) {
            models = model.model != null ? model.model : "DiT-S/2";
        }
        for (String name : list(models, "--models")) {
            configs.add(model.configFor(name));
        }
        List<Variant> variants = model.variantsOrAll();
        List<Integer> batchList = new ArrayList<>();
        for (String b : list(batches, "--batches")) {
            try {
                int v = Integer.parseInt(b);
                if (v < 1) {
                    throw new NumberFormatException();
                }
                batchList.add(v);
            } catch (NumberFormatException e) {
                throw new Errors.UsageException("--batches takes positive integers, found '" + b + "'");
            }
        }
        List<Device> deviceList = new ArrayList<>();
        for (String id : list(devices, "--devices")) {
            deviceList.add(kernelCache.device(id));
        }
        Sweep.Plan plan = new Sweep.Plan(configs, variants, batchList, deviceList, run.settings(),
                peerOptions.resolve(run.precision));
        Path dir = out != null ? out : HarnessOutput.resultsDir().resolve("sweep-" + KernelSources.sha256(String.join("|", models, variants.toString(),
                batches, devices, String.valueOf(model.imageSize), String.valueOf(model.inputSize), run.warmup + "/" + run.iterations
                        + "/" + run.seed + "/" + run.precision
                        + (plan.peers().isEmpty() ? "" : "|peers " + peerOptions.peers))).substring(0, 12));
        Map<String, Row> done = Sweep.byKey(RunDirectory.readRows(dir));
        if (!done.isEmpty()) {
            spec.commandLine().getErr().println("resuming " + dir + ": " + done.size() + " rows finished earlier");
        }
        Map<String, Row> rows = new LinkedHashMap<>(done);
        var calibration = Sweep.run(plan, done.keySet(), r -> {
            RunDirectory.appendRow(dir, r);
            rows.put(r.key(), r);
        }, spec.commandLine().getErr());
        RunResults results = new RunResults(Environment.capture(deviceList), HarnessOutput.command(spec), calibration,
                new ArrayList<>(rows.values()));
        RunDirectory.writeAll(results, dir);
        HarnessOutput.print(spec.commandLine().getOut(), results, dir, json);
    }

    private static List<String> list(String value, String option) {
        List<String> out = new ArrayList<>();
        for (String s : value.split(",", -1)) {
            if (s.isBlank()) {
                throw new Errors.UsageException(option + ": empty entry in '" + value + "'");
            }
            out.add(s.trim());
        }
        return out;
    }
}
