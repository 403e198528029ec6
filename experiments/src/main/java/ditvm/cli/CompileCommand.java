package ditvm.cli;

import ditvm.device.Device;
import ditvm.device.Devices;
import ditvm.model.DiTConfig;
import ditvm.model.Variant;
import ditvm.model.graph.DiTForward;
import ditvm.model.weights.DiTWeights;
import ditvm.opencl.OpenCLDevice;
import ditvm.opencl.PrecompiledManifest;
import ditvm.opencl.PrecompiledWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ditvm compile}: writes a precompiled-programs folder (binaries + manifest.json) with
 * every kernel the model's graphs need, for each variant, on an OpenCL device; run it with
 * {@code --precompiled DIR}. Every block of a variant runs the same kernels with the same
 * work-group sizes, so each graph is built at depth 1 (the folder serves any depth, batch and
 * image size of that model family; `bench gemm`'s kernel is among them).
 */
@Command(name = "compile", description = "Write precompiled OpenCL programs of the model's graphs and manifest.json to a folder.")
final class CompileCommand implements Runnable {

    @Mixin
    ModelOptions model;

    @Option(names = "--device", required = true, description = "opencl:P:D (the device the binaries are for).")
    String device;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write (created if absent).")
    Path out;

    @Option(names = "--json", description = "Print the manifest as one JSON document on stdout.")
    boolean json;

    @Override
    public void run() {
        DiTConfig full = model.config("DiT-S/2");
        List<Variant> variants = model.variantsOrAll();
        Device d = Devices.get(device);
        if (!(d instanceof OpenCLDevice cl)) {
            throw new Errors.UsageException("compile needs an OpenCL device (opencl:P:D), found " + d.id());
        }
        DiTConfig oneBlock = new DiTConfig(1, full.hidden(), full.heads(), full.patch(), full.inputSize(), full.inChannels(),
                full.numClasses(), full.learnSigma(), full.mlpRatio());
        List<DiTWeights> weights = new ArrayList<>();
        List<DiTForward> forwards = new ArrayList<>();
        try {
            for (Variant v : variants) {
                DiTWeights w = DiTWeights.initialize(oneBlock, v, 0);
                weights.add(w);
                forwards.add(DiTForward.build(w, 1, d));
            }
            PrecompiledManifest m = PrecompiledWriter.write(cl.withoutDiskCache(),
                    forwards.stream().map(DiTForward::graph).toList(), out);
            if (json) {
                System.out.print(m.toJson());
            } else {
                System.out.println("wrote " + m.entries().size() + " programs for " + full.modelName() + " " + variants
                        + " on " + d.id() + " (" + m.deviceName() + ", driver " + m.driverVersion() + ") to " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + out + ": " + e.getMessage(), e);
        } finally {
            forwards.forEach(DiTForward::close);
            weights.forEach(DiTWeights::close);
        }
    }
}
