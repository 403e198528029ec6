package ditvm.cli;

import ditvm.device.Device;
import ditvm.device.Devices;
import ditvm.graph.TaskGraph;
import ditvm.kernels.Gemm;
import ditvm.kernels.GemmWeights;
import ditvm.memory.FloatArray;
import ditvm.opencl.OpenCLDevice;
import ditvm.opencl.PrecompiledManifest;
import ditvm.opencl.PrecompiledWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ditvm compile}: writes a precompiled-programs folder (binaries + manifest.json) for
 * an OpenCL device, to be run with {@code --precompiled DIR}. For now it covers the kernels of
 * {@code bench gemm}; the model's graphs ({@code --model}, {@code --variants}) go through the
 * same {@link PrecompiledWriter}.
 */
@Command(name = "compile", description = "Write precompiled OpenCL programs and manifest.json to a folder.")
final class CompileCommand implements Runnable {

    @Option(names = "--device", required = true, description = "opencl:P:D (the device the binaries are for).")
    String device;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write (created if absent).")
    Path out;

    @Option(names = "--impl", description = "GEMM implementation (CPU or TILED); default: the device's choice, as bench gemm.")
    Gemm.Impl impl;

    @Option(names = "--json", description = "Print the manifest as one JSON document on stdout.")
    boolean json;

    @Override
    public void run() {
        Device d = Devices.get(device);
        if (!(d instanceof OpenCLDevice cl)) {
            throw new Errors.UsageException("compile needs an OpenCL device (opencl:P:D), found " + d.id());
        }
        Gemm gemm = BenchCommand.gemm(d, impl);
        // The program and work-group size do not depend on the shape: a 1 x 1 x 1 GEMM stands for all.
        try (FloatArray a = new FloatArray(1); FloatArray wp = new FloatArray(GemmWeights.packedLength(1, 1));
             FloatArray b = new FloatArray(1); FloatArray o = new FloatArray(1)) {
            var graph = new TaskGraph("bench").task("gemm", gemm, a, wp, b, o, 1, 1, 1).snapshot();
            PrecompiledManifest m = PrecompiledWriter.write(cl.withoutDiskCache(), List.of(graph), out);
            if (json) {
                System.out.print(m.toJson());
            } else {
                System.out.println("wrote " + m.entries().size() + " kernel(s) for " + d.id() + " (" + m.deviceName()
                        + ", driver " + m.driverVersion() + ") to " + out + ": " + m.entries());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + out + ": " + e.getMessage(), e);
        }
    }
}
