package ditvm.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import ditvm.device.Device;
import ditvm.device.DeviceInfo;
import ditvm.device.DeviceSession;
import ditvm.device.KernelBuildException;
import ditvm.device.ProgramCache;
import ditvm.kernel.KernelSources;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One CUDA device, {@code cuda:N}. Holds the device's primary context (retained on first use)
 * and two caches keyed by (program text hash, options, architecture): the PTX NVRTC made and
 * the module the driver's JIT loaded from it. Each plan gets a {@link CudaSession} with its own
 * stream, buffers and events.
 */
public final class CudaDevice implements Device {
    private static final int JIT_LOG_BYTES = 64 * 1024;

    private final DeviceInfo info;
    private final int device; // CUdevice
    private final int arch;   // compute capability as 10 * major + minor, e.g. 90
    private final Optional<PtxCompiler> compiler;
    private final PtxCache ptx;
    private final Map<String, MemorySegment> modules = new HashMap<>();
    private MemorySegment context;

    CudaDevice(DeviceInfo info, int device, int arch, Optional<PtxCompiler> compiler) {
        this(info, device, arch, compiler,
                ProgramCache.disabledByEnvironment() ? null : new ProgramCache(ProgramCache.defaultDir()));
    }

    private CudaDevice(DeviceInfo info, int device, int arch, Optional<PtxCompiler> compiler, ProgramCache disk) {
        this.info = info;
        this.device = device;
        this.arch = arch;
        this.compiler = compiler;
        this.ptx = new PtxCache(info.id(), info.name(), info.driver(), compiler, disk);
    }

    /** The same GPU with no on-disk PTX cache ({@code --no-kernel-cache}); its own modules and context handle. */
    public CudaDevice withoutDiskCache() {
        return new CudaDevice(info, device, arch, compiler, null);
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    /** Compute capability as 10 * major + minor (80 for sm_80). */
    public int computeCapability() {
        return arch;
    }

    @Override
    public DeviceSession openSession() {
        return new CudaSession(this);
    }

    /**
     * Makes this device's primary context current on the calling thread (the driver's current
     * context is per thread, and a plan may run on any thread).
     */
    synchronized void makeCurrent() {
        if (context == null) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment ctx = a.allocate(ADDRESS);
                CU.check(CU.primaryCtxRetain(ctx, device), "cuDevicePrimaryCtxRetain on " + info.id());
                context = ctx.get(ADDRESS, 0);
            }
        }
        CU.check(CU.ctxSetCurrent(context), "cuCtxSetCurrent on " + info.id());
    }

    /** A loaded module of {@code programText}: from the cache, or compiled to PTX (or read from disk) and JIT-loaded now. */
    synchronized LoadedModule module(String kernelName, String sourceFile, String programText, String options,
                                     boolean printPtx) {
        String key = KernelSources.sha256(programText) + "|" + options + "|sm_" + arch;
        MemorySegment cached = modules.get(key);
        long t0 = System.nanoTime();
        String text = ptx.ptx(kernelName, sourceFile, programText, options, arch);
        if (printPtx) {
            System.out.println("// PTX of " + kernelName + " for " + info.id() + "\n" + text);
        }
        if (cached != null) {
            return new LoadedModule(cached, 0);
        }
        MemorySegment module = load(kernelName, text);
        modules.put(key, module);
        return new LoadedModule(module, System.nanoTime() - t0);
    }

    record LoadedModule(MemorySegment module, long buildNanos) {
    }

    /** cuModuleLoadDataEx with the JIT's error and info logs captured. */
    private MemorySegment load(String kernelName, String ptx) {
        makeCurrent();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errorLog = a.allocate(JIT_LOG_BYTES);
            MemorySegment infoLog = a.allocate(JIT_LOG_BYTES);
            int[] keys = {CU.JIT_ERROR_LOG_BUFFER, CU.JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
                CU.JIT_INFO_LOG_BUFFER, CU.JIT_INFO_LOG_BUFFER_SIZE_BYTES, CU.JIT_LOG_VERBOSE};
            MemorySegment options = a.allocateFrom(JAVA_INT, keys);
            MemorySegment values = a.allocate(ADDRESS, keys.length);
            // Sizes and flags travel in the pointer slots themselves, as the driver API specifies.
            values.setAtIndex(ADDRESS, 0, errorLog);
            values.setAtIndex(JAVA_LONG, 1, JIT_LOG_BYTES);
            values.setAtIndex(ADDRESS, 2, infoLog);
            values.setAtIndex(JAVA_LONG, 3, JIT_LOG_BYTES);
            values.setAtIndex(JAVA_LONG, 4, 1);
            MemorySegment module = a.allocate(ADDRESS);
            int status = CU.moduleLoadDataEx(module, a.allocateFrom(ptx), keys.length, options, values);
            if (status != CU.CUDA_SUCCESS) {
                throw new KernelBuildException(kernelName, info.id(), "cuModuleLoadDataEx (driver JIT of the PTX) failed: "
                        + CU.describe(status) + "\nerror log:\n" + errorLog.getString(0) + "\ninfo log:\n" + infoLog.getString(0));
            }
            return module.get(ADDRESS, 0);
        }
    }
}
