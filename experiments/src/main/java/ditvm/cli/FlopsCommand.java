package ditvm.cli;

import ditvm.model.DiTConfig;
import ditvm.model.Variant;
import ditvm.model.flops.FlopCount;
import ditvm.model.flops.FlopCounter;
import ditvm.model.flops.ParamCount;
import ditvm.model.flops.ParamCounter;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ditvm flops}: analytic Gflops in the DiT paper's convention, and parameters, of one model. */
@Command(name = "flops", mixinStandardHelpOptions = true,
        description = "Analytic Gflops (the DiT paper's convention: MACs + LayerNorm elements) and parameters of"
                + " one model and variant.")
final class FlopsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "N",
            description = "Images per forward pass; every count scales linearly. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--json", description = "One JSON document on stdout.")
    boolean json;

    @Override
    public void run() {
        if (batch < 1) {
            throw new Errors.UsageException("--batch must be >= 1, found " + batch);
        }
        DiTConfig c = model.config();
        Variant v = model.variant();
        FlopCount f = FlopCounter.count(c, v, batch);
        ParamCount p = ParamCounter.count(c, v);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", c.modelName());
            m.put("variant", v.cliName());
            m.put("image_size", c.imageSize());
            m.put("input_size", c.inputSize());
            m.put("batch", batch);
            m.put("macs", f.macs());
            m.put("layernorm_elements", f.layerNormElements());
            m.put("gflops", f.gflops());
            m.put("params", p.total());
            m.put("components", f.components());
            out.println(Json.write(m));
        } else {
            out.printf(Locale.ROOT, "%s, %s, batch %d%n", c.describe(), v.cliName(), batch);
            out.printf(Locale.ROOT, "  %d tokens of %d, %.2f Gflops = (%,d MACs + %,d LayerNorm elements) / 1e9%n",
                    c.tokens(), c.hidden(), f.gflops(), f.macs(), f.layerNormElements());
            out.printf(Locale.ROOT, "  %,d parameters (%.2f M)%n", p.total(), p.millions());
            out.println("  MACs by component:");
            f.components().forEach((name, macs) -> out.printf(Locale.ROOT, "    %-13s %,20d  %5.1f%%%n", name, macs,
                    100.0 * macs / f.macs()));
        }
        out.flush();
    }
}
