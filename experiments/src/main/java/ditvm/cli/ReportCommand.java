package ditvm.cli;

import ditvm.harness.RunDirectory;
import ditvm.harness.RunResults;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ditvm report DIR}: rebuilds report.md and the plots of a run from its results.json. */
@Command(name = "report", description = "Rebuild report.md and plots of a run folder from its results.json.")
final class ReportCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "A run folder (results/<run-id>).")
    Path dir;

    @Override
    public void run() {
        Path json = dir.resolve(RunDirectory.RESULTS_JSON);
        if (!Files.isRegularFile(json)) {
            throw new Errors.UsageException(dir + ": expected a run folder with " + RunDirectory.RESULTS_JSON + ", found none");
        }
        RunDirectory.rebuildReport(RunResults.read(json), dir);
        spec.commandLine().getOut().println("rebuilt " + dir.resolve("report.md") + " and plots");
        spec.commandLine().getOut().flush();
    }
}
