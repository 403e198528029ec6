package ditvm.cli;

import ditvm.harness.RunDirectory;
import ditvm.harness.RunResults;
import ditvm.harness.ShardMerge;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ditvm report DIR}: rebuilds report.md and the plots of a run from its results.json; in
 * the folder of a sharded sweep, first merges every shard's rows into results.json (the rows not
 * measured yet listed by name).
 */
@Command(name = "report", description = "Rebuild report.md and plots of a run folder (merging the rows of every shard of a sharded sweep).")
final class ReportCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "A run folder (results/<run-id>).")
    Path dir;

    @Override
    public void run() {
        if (ShardMerge.isSharded(dir)) {
            RunResults merged = ShardMerge.merge(dir);
            RunDirectory.writeAll(merged, dir);
            spec.commandLine().getOut().println("merged " + merged.rows().size() + " rows" + (merged.missing().isEmpty() ? ""
                    : " (" + merged.missing().size() + " missing, listed in the report)") + "; rebuilt "
                    + dir.resolve(RunDirectory.RESULTS_JSON) + ", " + dir.resolve("report.md") + " and plots");
            spec.commandLine().getOut().flush();
            return;
        }
        Path json = dir.resolve(RunDirectory.RESULTS_JSON);
        if (!Files.isRegularFile(json)) {
            throw new Errors.UsageException(dir + ": expected a run folder with " + RunDirectory.RESULTS_JSON + " or "
                    + "shards/*/plan.json, found neither");
        }
        RunDirectory.rebuildReport(RunResults.read(json), dir);
        spec.commandLine().getOut().println("rebuilt " + dir.resolve("report.md") + " and plots");
        spec.commandLine().getOut().flush();
    }
}
