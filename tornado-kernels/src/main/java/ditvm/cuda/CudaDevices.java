package ditvm.cuda;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import ditvm.device.DeviceInfo;
import ditvm.device.DeviceType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Finds the CUDA devices through the driver API: none, without an error, when there is no driver. */
public final class CudaDevices {

    private CudaDevices() {
    }

    /** Why no CUDA device can be listed, or null when the driver initialised. */
    public static String unavailableReason() {
        if (!CU.available()) {
            return "libcuda.so.1 not found (it comes with the NVIDIA driver)";
        }
        int status = CU.init();
        return status == CU.CUDA_SUCCESS ? null : "cuInit failed: " + CU.describe(status);
    }

    /** Every CUDA device as {@code cuda:N}; empty when libcuda is missing or cuInit fails. */
    public static List<CudaDevice> discover() {
        List<CudaDevice> found = new ArrayList<>();
        if (unavailableReason() != null) {
            return found;
        }
        Optional<PtxCompiler> compiler = PtxCompiler.find();
        try (Arena a = Arena.ofConfined()) {
            describeAll(a, compiler, found);
        } catch (CudaException e) {
            // cuInit worked, so this is a driver fault: keep the devices described so far, say why the rest are missing
            System.err.println("ditvm: listing CUDA devices stopped: " + e.getMessage());
        }
        return found;
    }

    private static void describeAll(Arena a, Optional<PtxCompiler> compiler, List<CudaDevice> found) {
        MemorySegment v = a.allocate(JAVA_LONG);
        CU.check(CU.driverGetVersion(v), "cuDriverGetVersion");
        int driver = v.get(JAVA_INT, 0);
        CU.check(CU.deviceGetCount(v), "cuDeviceGetCount");
        int n = v.get(JAVA_INT, 0);
        for (int i = 0; i < n; i++) {
            CU.check(CU.deviceGet(v, i), "cuDeviceGet " + i);
            int dev = v.get(JAVA_INT, 0);
            MemorySegment name = a.allocate(256);
            CU.check(CU.deviceGetName(name, 256, dev), "cuDeviceGetName");
            CU.check(CU.deviceTotalMem(v, dev), "cuDeviceTotalMem");
            long mem = v.get(JAVA_LONG, 0);
            int major = attribute(v, CU.ATTR_COMPUTE_CAPABILITY_MAJOR, dev);
            int minor = attribute(v, CU.ATTR_COMPUTE_CAPABILITY_MINOR, dev);
            int sms = attribute(v, CU.ATTR_MULTIPROCESSOR_COUNT, dev);
            int threads = attribute(v, CU.ATTR_MAX_THREADS_PER_BLOCK, dev);
            int shared = attribute(v, CU.ATTR_MAX_SHARED_MEMORY_PER_BLOCK, dev);
            String summary = String.format(Locale.ROOT, "compute capability %d.%d, %d SMs, %.1f GiB",
                    major, minor, sms, mem / (1024.0 * 1024 * 1024));
            String driverText = String.format(Locale.ROOT, "CUDA driver %d.%d, %s; PTX by %s", driver / 1000,
                    driver % 1000 / 10, summary, compiler.map(PtxCompiler::describe).orElse("nothing (no NVRTC, no nvcc)"));
            DeviceInfo info = new DeviceInfo("cuda:" + i, name.getString(0), "NVIDIA Corporation", DeviceType.GPU,
                    driverText, sms, mem, shared, threads, summary, 1);
            found.add(new CudaDevice(info, dev, 10 * major + minor, compiler));
        }
    }

    private static int attribute(MemorySegment v, int attribute, int dev) {
        CU.check(CU.deviceGetAttribute(v, attribute, dev), "cuDeviceGetAttribute " + attribute);
        return v.get(JAVA_INT, 0);
    }
}
