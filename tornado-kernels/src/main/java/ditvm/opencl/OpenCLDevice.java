package ditvm.opencl;

import ditvm.device.ProgramCache;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import ditvm.device.Device;
import ditvm.device.DeviceException;
import ditvm.device.DeviceInfo;
import ditvm.device.DeviceSession;
import ditvm.device.KernelBuildException;
import ditvm.kernel.Kernel;
import ditvm.kernel.KernelSources;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One OpenCL device, {@code opencl:P:D}. Holds the context (created on first use) and the
 * program cache keyed by (program text hash, build options); each plan gets an
 * {@link OpenCLSession} with its own queue, buffers and kernel objects.
 *
 * <p>Where programs come from, per instance (each view below is a new instance with its own
 * context and in-memory cache; the discovered instance follows the environment):
 * <ul>
 * <li>source, with the binary saved to a disk cache and loaded from it by later processes
 *     ({@link #withDiskCache}; by default {@code $DITVM_CACHE_DIR}, else
 *     {@code ${XDG_CACHE_HOME:-$HOME/.cache}/ditvm/kernels}). An entry that does not read back
 *     exactly, or that the driver refuses, is rebuilt from source and overwritten.</li>
 * <li>source only ({@link #withoutDiskCache}, or {@code DITVM_KERNEL_CACHE=off}).</li>
 * <li>a precompiled folder only ({@link #precompiled}): binaries listed in its
 *     {@code manifest.json}, never a compiler; the FPGA flow.</li>
 * </ul>
 */
public final class OpenCLDevice implements Device {
    private final DeviceInfo info;
    private final MemorySegment deviceId;
    private final String driverVersion;
    private final ProgramCache diskCache; // null: off
    private final Precompiled precompiled; // null: programs are built from source
    private final Map<String, MemorySegment> programs = new HashMap<>();
    private long sourceBuilds, diskLoads, diskWrites, diskRejects, precompiledLoads;
    private boolean diskWriteWarned;
    private MemorySegment context;

    OpenCLDevice(DeviceInfo info, MemorySegment deviceId) {
        this(info, deviceId, driverVersionOf(deviceId),
                ProgramCache.disabledByEnvironment() ? null : new ProgramCache(ProgramCache.defaultDir()), null);
    }

    private OpenCLDevice(DeviceInfo info, MemorySegment deviceId, String driverVersion, ProgramCache diskCache,
                         Precompiled precompiled) {
        this.info = info;
        this.deviceId = deviceId;
        this.driverVersion = driverVersion;
        this.diskCache = diskCache;
        this.precompiled = precompiled;
    }

    private record Precompiled(Path dir, PrecompiledManifest manifest) {
    }

    /** Counts of where this instance's programs came from (in-memory hits not counted). */
    public record ProgramStats(long sourceBuilds, long diskCacheLoads, long diskCacheWrites, long diskCacheRejects,
                               long precompiledLoads) {
    }

    private static String driverVersionOf(MemorySegment deviceId) {
        try (Arena a = Arena.ofConfined()) {
            return OpenCLPlatforms.deviceString(a, deviceId, CL.CL_DRIVER_VERSION);
        }
    }

    /** This device building from source and caching binaries under {@code dir}. */
    public OpenCLDevice withDiskCache(Path dir) {
        return new OpenCLDevice(info, deviceId, driverVersion, new ProgramCache(dir), null);
    }

    /** This device building every program from source, reading and writing no disk cache. */
    public OpenCLDevice withoutDiskCache() {
        return new OpenCLDevice(info, deviceId, driverVersion, null, null);
    }

    /**
     * This device taking programs only from {@code dir} (written by {@link PrecompiledWriter} or
     * by an FPGA toolchain, see docs/fpga.md); it never compiles from source. Throws
     * {@link PrecompiledException} now when the folder has no manifest or its manifest is for
     * another device or driver.
     */
    public OpenCLDevice precompiled(Path dir) {
        PrecompiledManifest m = PrecompiledManifest.read(dir);
        if (!m.deviceName().equals(info.name()) || !m.driverVersion().equals(driverVersion)) {
            throw new PrecompiledException("precompiled folder " + dir + " was built for device '" + m.deviceName()
                    + "' driver '" + m.driverVersion() + "'; expected this device " + info.id() + " '" + info.name()
                    + "' driver '" + driverVersion + "'");
        }
        return new OpenCLDevice(info, deviceId, driverVersion, null, new Precompiled(dir, m));
    }

    /** The default disk cache folder: {@code $DITVM_CACHE_DIR}, else {@code ${XDG_CACHE_HOME:-$HOME/.cache}/ditvm/kernels}. */
    public static Path defaultCacheDir() {
        return ProgramCache.defaultDir();
    }

    public Optional<Path> diskCacheDir() {
        return Optional.ofNullable(diskCache).map(ProgramCache::dir);
    }

    public Optional<Path> precompiledDir() {
        return Optional.ofNullable(precompiled).map(Precompiled::dir);
    }

    /** CL_DRIVER_VERSION, part of the disk cache key and of a precompiled manifest. */
    public String driverVersion() {
        return driverVersion;
    }

    public synchronized ProgramStats programStats() {
        return new ProgramStats(sourceBuilds, diskLoads, diskWrites, diskRejects, precompiledLoads);
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    MemorySegment deviceId() {
        return deviceId;
    }

    synchronized MemorySegment context() {
        if (context == null) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment devices = a.allocate(ADDRESS);
                devices.set(ADDRESS, 0, deviceId);
                MemorySegment err = a.allocate(JAVA_INT);
                MemorySegment ctx = CL.createContext(MemorySegment.NULL, 1, devices, err);
                CL.check(err.get(JAVA_INT, 0), "clCreateContext for " + info.id());
                context = ctx;
            }
        }
        return context;
    }

    @Override
    public DeviceSession openSession() {
        return new OpenCLSession(this);
    }

    /** The full OpenCL program text of a kernel (prelude and includes inlined). */
    static String programText(Kernel kernel) {
        return kernel.programText(KernelSources.Target.OPENCL);
    }

    /** The clBuildProgram options of a kernel. */
    static String buildOptions(Kernel kernel) {
        return ("-cl-std=CL1.2 " + kernel.buildOptions(KernelSources.Target.OPENCL)).trim();
    }

    /**
     * A built program for {@code programText} and {@code options}: from memory, else the
     * precompiled folder, the disk cache or the compiler. {@code buildNanos} is the time spent
     * here: 0 from memory, the load time from disk, the compile time from source.
     */
    synchronized BuiltProgram program(Kernel kernel, String programText, String options) {
        String sha = KernelSources.sha256(programText);
        String key = sha + "|" + options;
        PrecompiledManifest.Entry entry = precompiled == null ? null : precompiledEntry(kernel, sha, options);
        MemorySegment cached = programs.get(key);
        if (cached != null) {
            return new BuiltProgram(cached, 0);
        }
        long t0 = System.nanoTime();
        MemorySegment program;
        if (precompiled != null) {
            program = loadPrecompiled(kernel, entry, options);
            precompiledLoads++;
        } else if (diskCache != null) {
            program = throughDiskCache(kernel, programText, sha, options);
        } else {
            program = buildFromSource(kernel.name(), programText, options);
        }
        long ns = System.nanoTime() - t0;
        programs.put(key, program);
        return new BuiltProgram(program, ns);
    }

    record BuiltProgram(MemorySegment program, long buildNanos) {
    }

    /** The fixed work-group size a precompiled kernel was built for; null when not precompiled or not fixed. */
    long[] fixedLocalSize(Kernel kernel) {
        if (precompiled == null) {
            return null;
        }
        return precompiled.manifest().entry(kernel.name()).map(PrecompiledManifest.Entry::localSize).orElse(null);
    }

    Path precompiledFolder() {
        return precompiled == null ? null : precompiled.dir();
    }

    private MemorySegment throughDiskCache(Kernel kernel, String programText, String sha, String options) {
        String key = ProgramCache.key(info.name(), driverVersion, sha, options);
        switch (diskCache.read(key)) {
            case ProgramCache.Lookup.Hit hit -> {
                try {
                    MemorySegment p = fromBinary(kernel.name(), hit.binary(), options);
                    diskLoads++;
                    return p;
                } catch (DeviceException e) {
                    diskRejects++; // the driver refused it: rebuild and overwrite below
                }
            }
            case ProgramCache.Lookup.Rejected r -> diskRejects++;
            case ProgramCache.Lookup.Miss m -> {
            }
        }
        MemorySegment program = buildFromSource(kernel.name(), programText, options);
        try {
            diskCache.write(key, binary(program));
            diskWrites++;
        } catch (IOException | DeviceException e) {
            if (!diskWriteWarned) {
                diskWriteWarned = true;
                System.err.println("ditvm: kernel cache " + diskCache.dir() + " not written (" + e.getMessage()
                        + "); programs are still built from source");
            }
        }
        return program;
    }

    /** The manifest entry of {@code kernel}, checked against the program ditvm would build now. */
    private PrecompiledManifest.Entry precompiledEntry(Kernel kernel, String sha, String options) {
        Path dir = precompiled.dir();
        PrecompiledManifest.Entry e = precompiled.manifest().entry(kernel.name()).orElseThrow(() ->
                new PrecompiledException("kernel " + kernel.name() + " is not in precompiled folder " + dir + " (it has "
                        + precompiled.manifest().entries().stream().map(PrecompiledManifest.Entry::kernel).toList()
                        + "); compile the folder again for this graph"));
        if (!e.programSha256().equals(sha) || !e.buildOptions().equals(options) || !e.entryPoint().equals(kernel.entryPoint())) {
            throw new PrecompiledException("kernel " + kernel.name() + " in precompiled folder " + dir
                    + " was built from other code: expected program sha256 " + sha + ", options '" + options
                    + "', entry point " + kernel.entryPoint() + "; found " + e.programSha256() + ", '" + e.buildOptions()
                    + "', " + e.entryPoint() + "; compile the folder again");
        }
        return e;
    }

    private MemorySegment loadPrecompiled(Kernel kernel, PrecompiledManifest.Entry e, String options) {
        Path dir = precompiled.dir();
        Path file = dir.resolve(e.binary()).normalize();
        if (!file.getParent().equals(dir.normalize())) {
            throw new PrecompiledException("kernel " + kernel.name() + ": binary '" + e.binary() + "' in " + dir
                    + "/manifest.json must be a file name inside the folder");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException ex) {
            throw new PrecompiledException("kernel " + kernel.name() + ": cannot read binary " + file + " (" + ex + ")", ex);
        }
        String found = ProgramCache.sha256(bytes);
        if (!found.equals(e.binarySha256())) {
            throw new PrecompiledException("kernel " + kernel.name() + ": binary " + file + " fails its checksum: expected sha256 "
                    + e.binarySha256() + ", found " + found);
        }
        try {
            return fromBinary(kernel.name(), bytes, options);
        } catch (DeviceException ex) {
            throw new PrecompiledException("kernel " + kernel.name() + ": the driver refused binary " + file + ": "
                    + ex.getMessage(), ex);
        }
    }

    private MemorySegment buildFromSource(String kernelName, String programText, String options) {
        if (precompiled != null) {
            throw new IllegalStateException("a precompiled device never compiles from source");
        }
        sourceBuilds++;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment text = a.allocateFrom(programText);
            MemorySegment strings = a.allocate(ADDRESS);
            strings.set(ADDRESS, 0, text);
            MemorySegment lengths = a.allocate(JAVA_LONG);
            lengths.set(JAVA_LONG, 0, text.byteSize() - 1);
            MemorySegment err = a.allocate(JAVA_INT);
            MemorySegment program = CL.createProgramWithSource(context(), strings, lengths, err);
            CL.check(err.get(JAVA_INT, 0), "clCreateProgramWithSource for kernel " + kernelName);
            buildOrThrow(a, program, kernelName, options);
            return program;
        }
    }

    /** clCreateProgramWithBinary + clBuildProgram; throws {@link DeviceException} when the driver refuses either. */
    private MemorySegment fromBinary(String kernelName, byte[] binary, String options) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment bytes = a.allocate(Math.max(1, binary.length));
            MemorySegment.copy(binary, 0, bytes, JAVA_BYTE, 0, binary.length);
            MemorySegment lengths = a.allocate(JAVA_LONG);
            lengths.set(JAVA_LONG, 0, binary.length);
            MemorySegment pointers = a.allocate(ADDRESS);
            pointers.set(ADDRESS, 0, bytes);
            MemorySegment status = a.allocate(JAVA_INT);
            MemorySegment err = a.allocate(JAVA_INT);
            MemorySegment program = CL.createProgramWithBinary(context(), deviceIdArray(a), lengths, pointers, status, err);
            CL.check(err.get(JAVA_INT, 0), "clCreateProgramWithBinary for kernel " + kernelName
                    + " (binary status " + CL.errorName(status.get(JAVA_INT, 0)) + ")");
            buildOrThrow(a, program, kernelName, options);
            return program;
        }
    }

    private void buildOrThrow(Arena a, MemorySegment program, String kernelName, String options) {
        int status = CL.buildProgram(program, deviceIdArray(a), a.allocateFrom(options));
        if (status != CL.CL_SUCCESS) {
            String log = buildLog(program);
            CL.releaseProgram(program);
            if (status == CL.CL_BUILD_PROGRAM_FAILURE) {
                throw new KernelBuildException(kernelName, info.id(), log);
            }
            throw new KernelBuildException(kernelName, info.id(),
                    "clBuildProgram returned " + CL.errorName(status) + "\n" + log);
        }
    }

    /** The device binary of a built program (CL_PROGRAM_BINARIES). */
    byte[] binary(MemorySegment program) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment size = a.allocate(JAVA_LONG);
            CL.check(CL.getProgramInfo(program, CL.CL_PROGRAM_BINARY_SIZES, 8, size, MemorySegment.NULL),
                    "clGetProgramInfo(CL_PROGRAM_BINARY_SIZES)");
            long n = size.get(JAVA_LONG, 0);
            if (n <= 0) {
                throw new DeviceException(info.id() + " returned no program binary (CL_PROGRAM_BINARY_SIZES = " + n + ")");
            }
            MemorySegment bytes = a.allocate(n);
            MemorySegment pointers = a.allocate(ADDRESS);
            pointers.set(ADDRESS, 0, bytes);
            CL.check(CL.getProgramInfo(program, CL.CL_PROGRAM_BINARIES, ADDRESS.byteSize(), pointers, MemorySegment.NULL),
                    "clGetProgramInfo(CL_PROGRAM_BINARIES)");
            return bytes.toArray(JAVA_BYTE);
        }
    }

    MemorySegment deviceIdArray(Arena a) {
        MemorySegment devices = a.allocate(ADDRESS);
        devices.set(ADDRESS, 0, deviceId);
        return devices;
    }

    String buildLog(MemorySegment program) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment size = a.allocate(JAVA_LONG);
            CL.getProgramBuildInfo(program, deviceId, CL.CL_PROGRAM_BUILD_LOG, 0, MemorySegment.NULL, size);
            long n = size.get(JAVA_LONG, 0);
            if (n <= 1) {
                return "(empty build log)";
            }
            MemorySegment log = a.allocate(n);
            CL.getProgramBuildInfo(program, deviceId, CL.CL_PROGRAM_BUILD_LOG, n, log, MemorySegment.NULL);
            return log.getString(0);
        }
    }
}
