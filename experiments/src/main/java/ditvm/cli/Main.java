package ditvm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ditvm} command line (CLI.md is its contract). Errors: one line on stderr saying
 * what was expected and what was found; exit 2 for bad usage or input, 1 for a failure while
 * running.
 */
@Command(name = "ditvm", mixinStandardHelpOptions = true, version = "ditvm 0.1.0",
        description = "Diffusion Transformers as task graphs on OpenCL, PTX and Java devices.",
        subcommands = {DevicesCommand.class, BenchCommand.class, CompileCommand.class, FlopsCommand.class,
                PaperTableCommand.class, ForwardCommand.class, AblationCommand.class, SweepCommand.class,
                ReportCommand.class, SelfCheckCommand.class, SampleCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {

    public static final int EXIT_USAGE = 2;
    public static final int EXIT_FAILURE = 1;

    /** No command: the usage on stderr, and exit code 2 (bad usage). */
    @Override
    public Integer call() {
        new CommandLine(this).usage(System.err);
        return EXIT_USAGE;
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("ditvm: " + ex.getMessage());
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Errors.details(ex).ifPresent(commandLine.getErr()::println);
            commandLine.getErr().println("ditvm: " + Errors.oneLine(ex));
            return Errors.isUsage(ex) ? EXIT_USAGE : EXIT_FAILURE;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
