package ditvm.cli;

import ditvm.check.SelfCheck;
import ditvm.device.Device;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ditvm selfcheck}: the device's kernels against their Java references and every model
 * variant against the PyTorch fixtures; exit 1 when any check fails. For machines without the
 * test suite (the GPU bundle).
 */
@Command(name = "selfcheck", description = "Check a device: core kernels vs Java references, the model vs the PyTorch fixtures.")
final class SelfCheckCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--device", defaultValue = "default", description = "java, opencl:P:D, cuda:N or default.")
    String device;

    @Mixin
    KernelCacheOptions kernelCache;

    @Option(names = "--fixtures", paramLabel = "DIR", defaultValue = "${env:DITVM_FIXTURES}",
            description = "Folder with fixtures.json (default: $DITVM_FIXTURES, set by the launchers).")
    Path fixtures;

    @Option(names = "--json", description = "One JSON document on stdout.")
    boolean json;

    @Override
    public void run() {
        if (fixtures == null) {
            throw new Errors.UsageException("selfcheck needs the PyTorch fixtures: give --fixtures DIR or set DITVM_FIXTURES");
        }
        Device d = kernelCache.device(device);
        PrintWriter out = spec.commandLine().getOut();
        List<SelfCheck.Result> results = SelfCheck.run(d, fixtures, r -> {
            if (!json) {
                out.printf(Locale.ROOT, "%-4s %-60s %.2e (<= %.0e)%n", r.passed() ? "ok" : "FAIL", r.check(), r.error(), r.tolerance());
                out.flush();
            }
        });
        long failed = results.stream().filter(r -> !r.passed()).count();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("device", d.id());
            m.put("passed", failed == 0);
            m.put("checks", results.stream().map(r -> Map.of("check", r.check(), "error", r.error(),
                    "tolerance", r.tolerance(), "passed", r.passed())).toList());
            out.println(Json.write(m));
        } else {
            out.printf("%d checks on %s: %d passed, %d failed%n", results.size(), d.id(), results.size() - failed, failed);
        }
        out.flush();
        if (failed > 0) {
            throw new IllegalStateException(failed + " of " + results.size() + " checks failed on " + d.id());
        }
    }
}
