package ditvm.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import ditvm.ffi.NativeLibrary;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The CUDA driver API through java.lang.foreign on libcuda.so.1 (installed with the NVIDIA
 * driver, not the toolkit). Only the calls ditvm needs, under their exported symbol names
 * (cuda.h maps e.g. cuMemAlloc to cuMemAlloc_v2); each returns the raw CUresult or fills an
 * out-parameter, and {@link #check} turns a CUresult into a {@link CudaException}. Handles
 * (CUcontext, CUmodule, CUfunction, CUstream, CUevent) are pointers; CUdevice is an int and
 * CUdeviceptr a 64-bit integer.
 */
final class CU {
    static final int CUDA_SUCCESS = 0;

    static final int ATTR_MAX_THREADS_PER_BLOCK = 1;
    static final int ATTR_MAX_SHARED_MEMORY_PER_BLOCK = 8;
    static final int ATTR_MULTIPROCESSOR_COUNT = 16;
    static final int ATTR_COMPUTE_CAPABILITY_MAJOR = 75;
    static final int ATTR_COMPUTE_CAPABILITY_MINOR = 76;

    static final int JIT_INFO_LOG_BUFFER = 3;
    static final int JIT_INFO_LOG_BUFFER_SIZE_BYTES = 4;
    static final int JIT_ERROR_LOG_BUFFER = 5;
    static final int JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6;
    static final int JIT_LOG_VERBOSE = 12;

    static final int EVENT_DEFAULT = 0;
    static final int STREAM_NON_BLOCKING = 1;

    private static final NativeLibrary LIB = NativeLibrary.load("libcuda.so.1", "libcuda.so");

    /** Whether libcuda loaded and exports every call ditvm makes. */
    static boolean available() {
        return LIB.loaded() && Stream.of(INIT, DRIVER_GET_VERSION, GET_ERROR_NAME, GET_ERROR_STRING, DEVICE_GET_COUNT,
                DEVICE_GET, DEVICE_GET_NAME, DEVICE_TOTAL_MEM, DEVICE_GET_ATTRIBUTE, PRIMARY_CTX_RETAIN, CTX_SET_CURRENT,
                MODULE_LOAD_DATA_EX, MODULE_GET_FUNCTION, MEM_ALLOC, MEM_FREE, MEMCPY_HTOD_ASYNC, MEMCPY_DTOH_ASYNC,
                MEMSET_D32_ASYNC, LAUNCH_KERNEL, STREAM_CREATE, STREAM_SYNCHRONIZE, STREAM_DESTROY, EVENT_CREATE,
                EVENT_RECORD, EVENT_ELAPSED_TIME, EVENT_DESTROY).allMatch(Objects::nonNull);
    }

    /** The first of {@code names} the library exports, bound to {@code result(args)}; null when none is. */
    private static MethodHandle fn(String[] names, MemoryLayout result, MemoryLayout... args) {
        return LIB.downcall(names, result, args);
    }

    private static MethodHandle fn(String name, MemoryLayout result, MemoryLayout... args) {
        return fn(new String[] {name}, result, args);
    }

    private static final MethodHandle INIT = fn("cuInit", JAVA_INT, JAVA_INT);
    private static final MethodHandle DRIVER_GET_VERSION = fn("cuDriverGetVersion", JAVA_INT, ADDRESS);
    private static final MethodHandle GET_ERROR_NAME = fn("cuGetErrorName", JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle GET_ERROR_STRING = fn("cuGetErrorString", JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle DEVICE_GET_COUNT = fn("cuDeviceGetCount", JAVA_INT, ADDRESS);
    private static final MethodHandle DEVICE_GET = fn("cuDeviceGet", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle DEVICE_GET_NAME = fn("cuDeviceGetName", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle DEVICE_TOTAL_MEM = fn("cuDeviceTotalMem_v2", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle DEVICE_GET_ATTRIBUTE = fn("cuDeviceGetAttribute", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle PRIMARY_CTX_RETAIN = fn("cuDevicePrimaryCtxRetain", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle CTX_SET_CURRENT = fn("cuCtxSetCurrent", JAVA_INT, ADDRESS);
    private static final MethodHandle MODULE_LOAD_DATA_EX = fn("cuModuleLoadDataEx", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle MODULE_GET_FUNCTION = fn("cuModuleGetFunction", JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle MEM_ALLOC = fn("cuMemAlloc_v2", JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle MEM_FREE = fn("cuMemFree_v2", JAVA_INT, JAVA_LONG);
    private static final MethodHandle MEMCPY_HTOD_ASYNC = fn("cuMemcpyHtoDAsync_v2", JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS);
    private static final MethodHandle MEMCPY_DTOH_ASYNC = fn("cuMemcpyDtoHAsync_v2", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS);
    private static final MethodHandle MEMSET_D32_ASYNC = fn("cuMemsetD32Async", JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS);
    private static final MethodHandle LAUNCH_KERNEL = fn("cuLaunchKernel", JAVA_INT, ADDRESS,
            JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle STREAM_CREATE = fn("cuStreamCreate", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle STREAM_SYNCHRONIZE = fn("cuStreamSynchronize", JAVA_INT, ADDRESS);
    private static final MethodHandle STREAM_DESTROY = fn("cuStreamDestroy_v2", JAVA_INT, ADDRESS);
    private static final MethodHandle EVENT_CREATE = fn("cuEventCreate", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle EVENT_RECORD = fn("cuEventRecord", JAVA_INT, ADDRESS, ADDRESS);
    // CUDA 12.8 added _v2 (same signature); older drivers export only the first name.
    private static final MethodHandle EVENT_ELAPSED_TIME = fn(new String[] {"cuEventElapsedTime_v2", "cuEventElapsedTime"},
            JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle EVENT_DESTROY = fn("cuEventDestroy_v2", JAVA_INT, ADDRESS);

    private CU() {
    }

    /** "CUDA_ERROR_X (code): description" for a CUresult. */
    static String describe(int status) {
        if (GET_ERROR_NAME == null) {
            return "CUresult " + status;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            String name = (int) GET_ERROR_NAME.invokeExact(status, p) == CUDA_SUCCESS
                    ? p.get(ADDRESS, 0).reinterpret(256).getString(0) : "CUresult " + status;
            String text = (int) GET_ERROR_STRING.invokeExact(status, p) == CUDA_SUCCESS
                    ? p.get(ADDRESS, 0).reinterpret(1024).getString(0) : "unknown error";
            return name + " (" + status + "): " + text;
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    /** Throws when {@code status} is not CUDA_SUCCESS, naming the call. */
    static void check(int status, String call) {
        if (status != CUDA_SUCCESS) {
            throw new CudaException(call + " failed: " + describe(status), status);
        }
    }


    static int init() {
        try {
            return (int) INIT.invokeExact(0);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int driverGetVersion(MemorySegment version) {
        try {
            return (int) DRIVER_GET_VERSION.invokeExact(version);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int deviceGetCount(MemorySegment count) {
        try {
            return (int) DEVICE_GET_COUNT.invokeExact(count);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int deviceGet(MemorySegment device, int ordinal) {
        try {
            return (int) DEVICE_GET.invokeExact(device, ordinal);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int deviceGetName(MemorySegment name, int len, int device) {
        try {
            return (int) DEVICE_GET_NAME.invokeExact(name, len, device);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int deviceTotalMem(MemorySegment bytes, int device) {
        try {
            return (int) DEVICE_TOTAL_MEM.invokeExact(bytes, device);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int deviceGetAttribute(MemorySegment value, int attribute, int device) {
        try {
            return (int) DEVICE_GET_ATTRIBUTE.invokeExact(value, attribute, device);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int primaryCtxRetain(MemorySegment ctx, int device) {
        try {
            return (int) PRIMARY_CTX_RETAIN.invokeExact(ctx, device);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int ctxSetCurrent(MemorySegment ctx) {
        try {
            return (int) CTX_SET_CURRENT.invokeExact(ctx);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int moduleLoadDataEx(MemorySegment module, MemorySegment image, int numOptions, MemorySegment options,
                                MemorySegment values) {
        try {
            return (int) MODULE_LOAD_DATA_EX.invokeExact(module, image, numOptions, options, values);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int moduleGetFunction(MemorySegment function, MemorySegment module, MemorySegment name) {
        try {
            return (int) MODULE_GET_FUNCTION.invokeExact(function, module, name);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int memAlloc(MemorySegment dptr, long bytes) {
        try {
            return (int) MEM_ALLOC.invokeExact(dptr, bytes);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int memFree(long dptr) {
        try {
            return (int) MEM_FREE.invokeExact(dptr);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int memcpyHtoDAsync(long dst, MemorySegment src, long bytes, MemorySegment stream) {
        try {
            return (int) MEMCPY_HTOD_ASYNC.invokeExact(dst, src, bytes, stream);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int memcpyDtoHAsync(MemorySegment dst, long src, long bytes, MemorySegment stream) {
        try {
            return (int) MEMCPY_DTOH_ASYNC.invokeExact(dst, src, bytes, stream);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int memsetD32Async(long dst, int value, long count, MemorySegment stream) {
        try {
            return (int) MEMSET_D32_ASYNC.invokeExact(dst, value, count, stream);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int launchKernel(MemorySegment f, int gx, int gy, int gz, int bx, int by, int bz, int sharedBytes,
                            MemorySegment stream, MemorySegment params) {
        try {
            return (int) LAUNCH_KERNEL.invokeExact(f, gx, gy, gz, bx, by, bz, sharedBytes, stream, params, MemorySegment.NULL);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int streamCreate(MemorySegment stream, int flags) {
        try {
            return (int) STREAM_CREATE.invokeExact(stream, flags);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int streamSynchronize(MemorySegment stream) {
        try {
            return (int) STREAM_SYNCHRONIZE.invokeExact(stream);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int streamDestroy(MemorySegment stream) {
        try {
            return (int) STREAM_DESTROY.invokeExact(stream);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int eventCreate(MemorySegment event, int flags) {
        try {
            return (int) EVENT_CREATE.invokeExact(event, flags);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int eventRecord(MemorySegment event, MemorySegment stream) {
        try {
            return (int) EVENT_RECORD.invokeExact(event, stream);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int eventElapsedTime(MemorySegment millis, MemorySegment start, MemorySegment end) {
        try {
            return (int) EVENT_ELAPSED_TIME.invokeExact(millis, start, end);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int eventDestroy(MemorySegment event) {
        try {
            return (int) EVENT_DESTROY.invokeExact(event);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }
}
