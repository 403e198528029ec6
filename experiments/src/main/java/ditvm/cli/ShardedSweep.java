package ditvm.cli;

import ditvm.device.Device;
import ditvm.harness.Environment;
import ditvm.harness.ModelBench;
import ditvm.harness.RunDirectory;
import ditvm.harness.RunResults;
import ditvm.harness.ShardFiles;
import ditvm.harness.ShardMerge;
import ditvm.harness.ShardSplit;
import ditvm.harness.SlurmJob;
import ditvm.harness.Sweep;
import ditvm.harness.peers.Peers;
import ditvm.kernel.KernelSources;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A sweep cut into N shards ({@link ShardSplit}) that share one run folder: one shard run here
 * ({@code --shard K/N}: its rows appended to its own file, resumable), or all N submitted as a
 * Slurm job array ({@code --slurm}), optionally followed to the end. Whoever finishes last
 * leaves the merged report; {@code ditvm report DIR} rebuilds it at any time.
 */
final class ShardedSweep {
    /** How often --wait asks squeue and reads the rows files. */
    static final long POLL_MS = 2000;

    private final List<Sweep.Item> items;
    private final ModelBench.Settings settings;
    private final Peers peers;
    private final Path dir;
    private final int count;
    private final List<String> sweepArgs;
    private final PrintWriter progress;
    private final ShardFiles.Plan plan;
    private final ShardFiles files;

    /** {@code sweepArgs}: the sweep's arguments without sharding, Slurm, --out and --json options. */
    ShardedSweep(List<Sweep.Item> items, ModelBench.Settings settings, Peers peers, Path dir, int count, List<String> sweepArgs,
                 PrintWriter progress) {
        this.items = items;
        this.settings = settings;
        this.peers = peers;
        this.dir = dir;
        this.count = count;
        this.sweepArgs = sweepArgs;
        this.progress = progress;
        int[] shardOf = ShardSplit.assign(items.stream().map(Sweep.Item::cost).toList(), count);
        List<ShardFiles.Planned> planned = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Sweep.Item it = items.get(i);
            planned.add(new ShardFiles.Planned(it.key(settings), it.label(), shardOf[i], it.cost()));
        }
        String identity = items.stream().map(it -> it.model() + "|" + it.variant() + "|" + it.batch() + "|" + it.device())
                .collect(Collectors.joining(";")) + "|" + settings + "|" + count;
        String id = KernelSources.sha256(identity).substring(0, 12);
        this.plan = new ShardFiles.Plan(id, resumeCommand(), count, planned);
        this.files = ShardFiles.of(dir, id);
    }

    /** The command that (re)runs shard K, as the report shows it. */
    private String resumeCommand() {
        StringBuilder sb = new StringBuilder("bin/ditvm sweep");
        sweepArgs.forEach(a -> sb.append(' ').append(a.matches("[A-Za-z0-9_./:=,+@%-]+") ? a : "'" + a.replace("'", "'\\''") + "'"));
        return sb.append(" --out ").append(dir).append(" --shard K/").append(count).toString();
    }

    /** Runs shard {@code k}: its items not finished earlier; then merges every shard's rows into the run folder's report. */
    RunResults runShard(int k, Function<String, Device> resolve, String command) {
        files.writePlanIfAbsent(plan);
        List<Sweep.Item> mine = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (plan.items().get(i).shard() == k) {
                mine.add(items.get(i));
            }
        }
        var done = files.rows(k).keySet();
        progress.printf("shard %d/%d of %s: %d of %d items (%d finished earlier)%n", k, count, dir, mine.size(), items.size(),
                mine.stream().filter(it -> done.contains(it.key(settings))).count());
        Map<String, Device> opened = new LinkedHashMap<>();
        Function<String, Device> devices = id -> opened.computeIfAbsent(id, resolve);
        var calibration = Sweep.run(mine, devices, settings, peers, done, (item, row) -> files.append(k, item.key(settings), row), progress);
        if (!opened.isEmpty() || files.env(k).isEmpty()) { // a rerun that measured nothing keeps the machine that did
            Map<String, Object> env = Environment.capture(List.copyOf(opened.values()));
            env.put("command", command);
            files.writeEnv(k, env, calibration);
        }
        RunResults merged = ShardMerge.merge(dir);
        RunDirectory.writeAll(merged, dir);
        return merged;
    }

    /** What a submission leaves: the job id, and the merged results when it was followed to the end. */
    record Submitted(String jobId, RunResults results) {
    }

    /** Writes the plan and job script and submits the array; with {@code await}, follows it and merges. Null for a dry run. */
    Submitted submit(SlurmJob.Request request, boolean await, boolean dryRun, PrintWriter out) {
        Path launcher = launcher();
        String script = SlurmJob.script(request, dir, Path.of("").toAbsolutePath(), launcher, sweepArgs);
        Path scriptFile = dir.resolve("slurm").resolve("job-" + plan.id() + ".sh");
        if (dryRun) {
            out.print(script);
            out.println("# would submit: " + String.join(" ", SlurmJob.sbatchCommand("sbatch", request, scriptFile)));
            out.flush();
            return null;
        }
        files.writePlanIfAbsent(plan);
        RunDirectory.writeScript(scriptFile, script);
        String jobId = SlurmJob.submit("sbatch", request, scriptFile);
        if (!await) {
            return new Submitted(jobId, null);
        }
        progress.printf("submitted Slurm job %s: %d array tasks, run folder %s%n", jobId, count, dir);
        progress.flush();
        String last = "";
        while (true) {
            int active = SlurmJob.activeTasks("squeue", jobId);
            int shardsDone = 0;
            int rowsDone = 0;
            for (int k = 0; k < count; k++) {
                int shard = k;
                var rows = files.rows(k);
                long planned = plan.items().stream().filter(p -> p.shard() == shard).count();
                long finished = plan.items().stream().filter(p -> p.shard() == shard && rows.containsKey(p.key())).count();
                rowsDone += (int) finished;
                shardsDone += finished == planned ? 1 : 0;
            }
            String line = String.format("job %s: shards done %d/%d, rows done %d/%d, %d array task(s) queued or running",
                    jobId, shardsDone, count, rowsDone, items.size(), active);
            if (!line.equals(last)) {
                progress.println(line);
                progress.flush();
                last = line;
            }
            if (active == 0) {
                RunResults merged = ShardMerge.merge(dir);
                RunDirectory.writeAll(merged, dir);
                if (rowsDone < items.size()) {
                    throw new IllegalStateException("job " + jobId + " ended with " + (items.size() - rowsDone) + " of " + items.size()
                            + " rows missing (listed in " + dir.resolve("report.md") + "; logs in " + dir.resolve("slurm")
                            + "); rerun a shard with: " + plan.command());
                }
                return new Submitted(jobId, merged);
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while following job " + jobId + "; it keeps running");
            }
        }
    }

    /** bin/ditvm of this checkout ($DITVM_HOME, set by bin/ditvm): what every array task runs, on the shared filesystem. */
    static Path launcher() {
        String home = System.getenv("DITVM_HOME");
        Path l = home == null || home.isBlank() ? null : Path.of(home, "bin", "ditvm");
        if (l == null || !Files.isExecutable(l)) {
            throw new Errors.UsageException("--slurm runs bin/ditvm in every array task: start it as bin/ditvm (DITVM_HOME "
                    + (home == null ? "unset" : "=" + home + " has no bin/ditvm") + ")");
        }
        return l.toAbsolutePath();
    }
}
