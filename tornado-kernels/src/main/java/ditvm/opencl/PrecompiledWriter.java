package ditvm.opencl;

import ditvm.device.ProgramCache;
import ditvm.graph.ImmutableTaskGraph;
import ditvm.graph.Task;
import ditvm.kernel.Kernel;
import ditvm.kernel.KernelSources;
import ditvm.kernel.Launch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Writes a precompiled-programs folder for a set of graphs: per distinct (program text, build
 * options) their tasks need, the program text ({@code .cl}, the input of an FPGA compiler) and
 * the device binary ({@code .bin}); and {@code manifest.json} with, per kernel,
 * the work-group size its tasks launch with. An {@link OpenCLDevice#precompiled} view of the
 * same device then runs those graphs without a compiler (the FPGA flow; docs/fpga.md).
 *
 * <p>The local size comes from each task's {@code kernel.launch(args)}; a plan's
 * {@link ditvm.plan.GridScheduler} overrides are not seen here, and a launch that differs from
 * the manifest is refused at run time.
 */
public final class PrecompiledWriter {

    private PrecompiledWriter() {
    }

    /** One kernel's use in the graphs: the first task seen, and its local size. */
    private record Use(Kernel kernel, String where, long[] local) {
    }

    /**
     * Compiles (or takes from {@code device}'s caches) every program the graphs' tasks need and
     * writes binaries and manifest into {@code dir} (created if absent; files of the same names
     * are replaced atomically). Throws {@link IllegalArgumentException}, writing nothing, when a
     * kernel is launched with different local sizes or two kernels share a name but not their code.
     */
    public static PrecompiledManifest write(OpenCLDevice device, Collection<ImmutableTaskGraph> graphs, Path dir)
            throws IOException {
        if (device.precompiledDir().isPresent()) {
            throw new IllegalArgumentException("write precompiled programs with a device that compiles from source, not the "
                    + "precompiled view of " + device.precompiledDir().get());
        }
        Map<String, Use> uses = new LinkedHashMap<>();
        List<String> conflicts = new ArrayList<>();
        for (ImmutableTaskGraph g : graphs) {
            for (Task t : g.tasks()) {
                Kernel k = t.kernel();
                Launch launch = k.launch(t.args());
                Use use = new Use(k, g.name() + "." + t.id(), launch.local());
                Use first = uses.putIfAbsent(k.name(), use);
                if (first == null) {
                    continue;
                }
                if (!first.kernel().entryPoint().equals(k.entryPoint()) || !first.kernel().sourceFile().equals(k.sourceFile())
                        || !first.kernel().buildOptions(KernelSources.Target.OPENCL).equals(k.buildOptions(KernelSources.Target.OPENCL))) {
                    conflicts.add("two kernels named " + k.name() + " with different code (" + first.where() + ", "
                            + use.where() + ")");
                } else if (!Arrays.equals(first.local(), use.local())) {
                    conflicts.add("kernel " + k.name() + " is launched with local size " + show(first.local()) + " in "
                            + first.where() + " but " + show(use.local()) + " in " + use.where()
                            + " (a precompiled binary has one fixed work-group size)");
                }
            }
        }
        if (!conflicts.isEmpty()) {
            throw new IllegalArgumentException("cannot precompile: " + String.join("; ", conflicts));
        }
        Files.createDirectories(dir);
        Map<String, String[]> written = new LinkedHashMap<>(); // program key -> {text file, binary file, binary sha256}
        List<PrecompiledManifest.Entry> entries = new ArrayList<>();
        for (Use use : uses.values()) {
            Kernel k = use.kernel();
            String text = OpenCLDevice.programText(k);
            String options = OpenCLDevice.buildOptions(k);
            String sha = KernelSources.sha256(text);
            String programKey = sha + "|" + options;
            String[] file = written.get(programKey);
            if (file == null) {
                byte[] binary = device.binary(device.program(k, text, options).program());
                String name = k.entryPoint() + "-" + KernelSources.sha256(programKey).substring(0, 12);
                ProgramCache.writeAtomically(dir.resolve(name + ".cl"), text.getBytes(StandardCharsets.UTF_8));
                ProgramCache.writeAtomically(dir.resolve(name + ".bin"), binary);
                file = new String[] {name + ".cl", name + ".bin", ProgramCache.sha256(binary)};
                written.put(programKey, file);
            }
            entries.add(new PrecompiledManifest.Entry(k.name(), k.entryPoint(), k.sourceFile(), options, sha, file[0], file[1],
                    file[2], use.local()));
        }
        PrecompiledManifest manifest = new PrecompiledManifest(PrecompiledManifest.FORMAT, device.id(), device.info().name(),
                device.info().vendor(), device.driverVersion(), device.info().extra(), version(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), entries);
        ProgramCache.writeAtomically(dir.resolve(PrecompiledManifest.FILE), manifest.toJson().getBytes(StandardCharsets.UTF_8));
        return manifest;
    }

    private static String show(long[] local) {
        return local == null ? "auto" : Arrays.toString(local);
    }

    /** The ditvm version the build stamped into {@code ditvm/version.properties}. */
    static String version() {
        try (InputStream in = PrecompiledWriter.class.getResourceAsStream("/ditvm/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
