package ditvm.opencl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import ditvm.device.DeviceInfo;
import ditvm.device.DeviceType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/** Finds the OpenCL platforms and devices through the ICD loader. */
public final class OpenCLPlatforms {

    private OpenCLPlatforms() {
    }

    /** Why no OpenCL device is listed, or null when the loader is present. */
    public static String unavailableReason() {
        return CL.available() ? null : "libOpenCL.so.1 not found (install ocl-icd-libopencl1 and an ICD such as pocl-opencl-icd)";
    }

    /** Every device of every platform, numbered {@code opencl:P:D}; empty when there is no loader or platform. */
    public static List<OpenCLDevice> discover() {
        List<OpenCLDevice> out = new ArrayList<>();
        if (!CL.available()) {
            return out;
        }
        PoclThreadPinning.applyBeforeFirstCall();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment count = a.allocate(JAVA_INT);
            int status = CL.getPlatformIDs(0, MemorySegment.NULL, count);
            if (status == CL.CL_PLATFORM_NOT_FOUND_KHR || count.get(JAVA_INT, 0) == 0) {
                return out;
            }
            CL.check(status, "clGetPlatformIDs");
            int np = count.get(JAVA_INT, 0);
            MemorySegment platforms = a.allocate(ADDRESS, np);
            CL.check(CL.getPlatformIDs(np, platforms, count), "clGetPlatformIDs");
            for (int p = 0; p < np; p++) {
                MemorySegment platform = platforms.getAtIndex(ADDRESS, p);
                String platformName = platformString(a, platform, CL.CL_PLATFORM_NAME);
                String platformVersion = platformString(a, platform, CL.CL_PLATFORM_VERSION);
                status = CL.getDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, 0, MemorySegment.NULL, count);
                if (status == CL.CL_DEVICE_NOT_FOUND) {
                    continue;
                }
                CL.check(status, "clGetDeviceIDs on platform " + platformName);
                int nd = count.get(JAVA_INT, 0);
                MemorySegment devices = a.allocate(ADDRESS, nd);
                CL.check(CL.getDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, nd, devices, count), "clGetDeviceIDs");
                for (int d = 0; d < nd; d++) {
                    MemorySegment dev = devices.getAtIndex(ADDRESS, d);
                    out.add(new OpenCLDevice(describe(a, "opencl:" + p + ":" + d, dev, platformName, platformVersion), dev));
                }
            }
        }
        return out;
    }

    private static DeviceInfo describe(Arena a, String id, MemorySegment dev, String platformName, String platformVersion) {
        long type = deviceLong(a, dev, CL.CL_DEVICE_TYPE);
        DeviceType t = (type & CL.CL_DEVICE_TYPE_GPU) != 0 ? DeviceType.GPU
                : (type & CL.CL_DEVICE_TYPE_CPU) != 0 ? DeviceType.CPU : DeviceType.ACCELERATOR;
        return new DeviceInfo(id,
                deviceString(a, dev, CL.CL_DEVICE_NAME),
                deviceString(a, dev, CL.CL_DEVICE_VENDOR),
                t,
                platformName + " " + deviceString(a, dev, CL.CL_DRIVER_VERSION) + " (" + platformVersion + ")"
                        + (t == DeviceType.CPU && platformName.startsWith("Portable Computing Language") && PoclThreadPinning.applied()
                                ? ", worker threads pinned to cores (" + PoclThreadPinning.VARIABLE + "=1, set by ditvm)" : ""),
                deviceInt(a, dev, CL.CL_DEVICE_MAX_COMPUTE_UNITS),
                deviceLong(a, dev, CL.CL_DEVICE_GLOBAL_MEM_SIZE),
                deviceLong(a, dev, CL.CL_DEVICE_LOCAL_MEM_SIZE),
                deviceLong(a, dev, CL.CL_DEVICE_MAX_WORK_GROUP_SIZE),
                deviceString(a, dev, CL.CL_DEVICE_VERSION),
                deviceInt(a, dev, CL.CL_DEVICE_NATIVE_VECTOR_WIDTH_FLOAT));
    }

    private static String platformString(Arena a, MemorySegment platform, int param) {
        MemorySegment size = a.allocate(JAVA_LONG);
        CL.check(CL.getPlatformInfo(platform, param, 0, MemorySegment.NULL, size), "clGetPlatformInfo");
        MemorySegment v = a.allocate(size.get(JAVA_LONG, 0) + 1);
        CL.check(CL.getPlatformInfo(platform, param, v.byteSize(), v, MemorySegment.NULL), "clGetPlatformInfo");
        return v.getString(0).trim();
    }

    static String deviceString(Arena a, MemorySegment dev, int param) {
        MemorySegment size = a.allocate(JAVA_LONG);
        CL.check(CL.getDeviceInfo(dev, param, 0, MemorySegment.NULL, size), "clGetDeviceInfo");
        MemorySegment v = a.allocate(size.get(JAVA_LONG, 0) + 1);
        CL.check(CL.getDeviceInfo(dev, param, v.byteSize(), v, MemorySegment.NULL), "clGetDeviceInfo");
        return v.getString(0).trim();
    }

    private static long deviceLong(Arena a, MemorySegment dev, int param) {
        MemorySegment v = a.allocate(JAVA_LONG);
        CL.check(CL.getDeviceInfo(dev, param, 8, v, MemorySegment.NULL), "clGetDeviceInfo");
        return v.get(JAVA_LONG, 0);
    }

    private static int deviceInt(Arena a, MemorySegment dev, int param) {
        MemorySegment v = a.allocate(JAVA_INT);
        CL.check(CL.getDeviceInfo(dev, param, 4, v, MemorySegment.NULL), "clGetDeviceInfo");
        return v.get(JAVA_INT, 0);
    }
}
