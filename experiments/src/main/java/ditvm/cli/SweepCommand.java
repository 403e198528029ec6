package ditvm.cli;

import ditvm.device.Device;
import ditvm.harness.Environment;
import ditvm.harness.Row;
import ditvm.harness.RunDirectory;
import ditvm.harness.RunResults;
import ditvm.harness.ShardSplit;
import ditvm.harness.SlurmJob;
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
 * {@code --shard K/N} runs one slice of the product ({@link ShardedSweep}); {@code --slurm
 * --shards N} submits all N as a Slurm job array.
 */
@Command(name = "sweep", description = "Ablation over lists of models, variants, batches, devices; resumable; shardable over Slurm.")
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

    @Option(names = "--shard", paramLabel = "K/N",
            description = "Run only slice K (0-based) of N of the product, cut by expected cost (Gflops x batch); rows in DIR/shards/.")
    String shard;

    @Option(names = "--slurm", description = "Submit the sweep as a Slurm job array of --shards tasks (sbatch), one shard each.")
    boolean slurm;

    @Option(names = "--shards", paramLabel = "N", description = "With --slurm: the number of shards (array tasks).")
    Integer shards;

    @Option(names = "--partition", paramLabel = "P", description = "With --slurm: the Slurm partition.")
    String partition;

    @Option(names = "--gpus-per-task", paramLabel = "G", description = "With --slurm: GPUs per array task.")
    Integer gpusPerTask;

    @Option(names = "--time", paramLabel = "T", description = "With --slurm: time limit per array task (Slurm's format, 30:00 say).")
    String time;

    @Option(names = "--wait", description = "With --slurm: follow the job array (shards done, rows done), then rebuild the report.")
    boolean await;

    @Option(names = "--dry-run", description = "With --slurm: print the job script and the sbatch command; submit nothing.")
    boolean dryRun;

    @Override
    public void run() {
        checkShardingOptions();
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
        List<String> deviceIds = list(devices, "--devices");
        var settings = run.settings();
        var peers = peerOptions.resolve(run.precision);
        Path dir = out != null ? out : HarnessOutput.resultsDir().resolve("sweep-" + KernelSources.sha256(String.join("|", models, variants.toString(),
                batches, devices, String.valueOf(model.imageSize), String.valueOf(model.inputSize), run.warmup + "/" + run.iterations
                        + "/" + run.seed + "/" + run.precision
                        + (peers.isEmpty() ? "" : "|peers " + peerOptions.peers))).substring(0, 12));
        if (shard != null || slurm) {
            ShardedSweep sharded = new ShardedSweep(Sweep.product(configs, variants, batchList, deviceIds), settings, peers,
                    dir.toAbsolutePath(), slurm ? shards : ShardSplit.Spec.parse(shard).count(), shardlessArgs(),
                    spec.commandLine().getErr());
            if (!slurm) {
                RunResults results = sharded.runShard(ShardSplit.Spec.parse(shard).index(), kernelCache::device,
                        HarnessOutput.command(spec));
                HarnessOutput.print(spec.commandLine().getOut(), results, dir, json);
                return;
            }
            ShardedSweep.Submitted s = sharded.submit(new SlurmJob.Request(shards, partition, gpusPerTask, time), await, dryRun,
                    spec.commandLine().getOut());
            if (s == null) {
                return; // --dry-run printed the script
            }
            if (s.results() != null) {
                HarnessOutput.print(spec.commandLine().getOut(), s.results(), dir, json);
            } else if (json) {
                spec.commandLine().getOut().println(Json.write(Map.of("job_id", s.jobId(), "run_dir", dir.toString())));
            } else {
                spec.commandLine().getOut().println("submitted Slurm job " + s.jobId() + " (" + shards + " array tasks); run folder: "
                        + dir + "\nfollow it: squeue -j " + s.jobId() + "; merge what has finished: bin/ditvm report " + dir);
            }
            spec.commandLine().getOut().flush();
            return;
        }
        List<Device> deviceList = new ArrayList<>();
        for (String id : deviceIds) {
            deviceList.add(kernelCache.device(id));
        }
        Sweep.Plan plan = new Sweep.Plan(configs, variants, batchList, deviceList, settings, peers);
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

    private void checkShardingOptions() {
        if (shard != null && slurm) {
            throw new Errors.UsageException("give --shard K/N (run one shard here) or --slurm --shards N (submit them all), not both");
        }
        if (shard != null) {
            ShardSplit.Spec.parse(shard); // a bad K/N is a usage error before anything runs
        }
        if (slurm && (shards == null || shards < 1)) {
            throw new Errors.UsageException("--slurm needs --shards N (N >= 1), found " + (shards == null ? "none" : shards));
        }
        if (!slurm) {
            List<String> slurmOnly = new ArrayList<>();
            if (shards != null) {
                slurmOnly.add("--shards");
            }
            if (partition != null) {
                slurmOnly.add("--partition");
            }
            if (gpusPerTask != null) {
                slurmOnly.add("--gpus-per-task");
            }
            if (time != null) {
                slurmOnly.add("--time");
            }
            if (await) {
                slurmOnly.add("--wait");
            }
            if (dryRun) {
                slurmOnly.add("--dry-run");
            }
            if (!slurmOnly.isEmpty()) {
                throw new Errors.UsageException(String.join(", ", slurmOnly) + " only go with --slurm");
            }
        }
        if (gpusPerTask != null && gpusPerTask < 0) {
            throw new Errors.UsageException("--gpus-per-task must be >= 0, found " + gpusPerTask);
        }
    }

    /** This command's arguments without the sharding, Slurm, output and --json options: what every shard runs. */
    private List<String> shardlessArgs() {
        return SlurmJob.without(HarnessOutput.subcommandArgs(spec), List.of("--slurm", "--wait", "--dry-run", "--json"),
                List.of("--shard", "--shards", "--partition", "--gpus-per-task", "--time", "--out"));
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
