package ditvm.cuda;

import ditvm.device.KernelBuildException;
import ditvm.device.ProgramCache;
import ditvm.kernel.KernelSources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PTX by program: in memory for the process and, unless turned off, on disk across processes
 * (the same {@link ProgramCache} entries as OpenCL binaries), keyed by device, driver, compiler,
 * program text hash, options and architecture. An entry that does not read back exactly is
 * compiled again and overwritten, never trusted.
 */
final class PtxCache {
    /** How many programs this cache compiled and how many it read from disk. */
    record Stats(int compiles, int diskLoads, int diskRejects) {
    }

    private final String deviceId;
    private final String deviceName;
    private final String driver;
    private final Optional<PtxCompiler> compiler;
    private final ProgramCache disk; // null: off
    private final Map<String, String> memory = new HashMap<>();
    private int compiles;
    private int diskLoads;
    private int diskRejects;
    private boolean warned;

    PtxCache(String deviceId, String deviceName, String driver, Optional<PtxCompiler> compiler, ProgramCache disk) {
        this.deviceId = deviceId;
        this.deviceName = deviceName;
        this.driver = driver;
        this.compiler = compiler;
        this.disk = disk;
    }

    synchronized Stats stats() {
        return new Stats(compiles, diskLoads, diskRejects);
    }

    /** The PTX of {@code programText} for compute capability {@code arch}; compiles on a miss. */
    synchronized String ptx(String kernelName, String sourceFile, String programText, String options, int arch) {
        PtxCompiler c = compiler.orElseThrow(() -> new KernelBuildException(kernelName, deviceId,
                "cannot compile CUDA C++ to PTX: " + PtxCompiler.missingReason()));
        String key = ProgramCache.key(deviceName, driver + "; " + c.describe() + "; sm_" + arch,
                KernelSources.sha256(programText), options);
        String ptx = memory.get(key);
        if (ptx != null) {
            return ptx;
        }
        if (disk != null) {
            switch (disk.read(key)) {
                case ProgramCache.Lookup.Hit hit -> {
                    diskLoads++;
                    ptx = new String(hit.binary(), StandardCharsets.UTF_8);
                    memory.put(key, ptx);
                    return ptx;
                }
                case ProgramCache.Lookup.Rejected r -> diskRejects++;
                case ProgramCache.Lookup.Miss m -> {
                }
            }
        }
        List<String> opts = options.isBlank() ? List.of() : Arrays.asList(options.trim().split("\\s+"));
        try {
            ptx = c.compile(sourceFile.replace(".cl", ".cu"), programText, arch, opts).ptx();
        } catch (PtxCompiler.Failure f) {
            throw new KernelBuildException(kernelName, deviceId, c.describe() + ":\n" + f.log());
        }
        compiles++;
        memory.put(key, ptx);
        if (disk != null) {
            try {
                disk.write(key, ptx.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                if (!warned) {
                    warned = true;
                    System.err.println("ditvm: PTX cache " + disk.dir() + " not writable (" + e.getMessage() + "); going on without it");
                }
            }
        }
        return ptx;
    }
}
