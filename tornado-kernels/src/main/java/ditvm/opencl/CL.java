package ditvm.opencl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import ditvm.ffi.NativeLibrary;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Map;

/**
 * The OpenCL 1.2 C API through java.lang.foreign on libOpenCL.so.1 (the ICD loader). Only
 * the calls ditvm needs; each method returns the raw cl_int status or handle, and
 * {@link #check} turns a status into an exception naming the call and the error.
 */
final class CL {
    static final int CL_SUCCESS = 0;
    static final int CL_BUILD_PROGRAM_FAILURE = -11;
    static final int CL_DEVICE_NOT_FOUND = -1;
    static final int CL_PLATFORM_NOT_FOUND_KHR = -1001;

    static final int CL_PLATFORM_VERSION = 0x0901;
    static final int CL_PLATFORM_NAME = 0x0902;
    static final int CL_PLATFORM_VENDOR = 0x0903;

    static final long CL_DEVICE_TYPE_CPU = 1 << 1;
    static final long CL_DEVICE_TYPE_GPU = 1 << 2;
    static final long CL_DEVICE_TYPE_ACCELERATOR = 1 << 3;
    static final long CL_DEVICE_TYPE_ALL = 0xFFFFFFFFL;

    static final int CL_DEVICE_TYPE = 0x1000;
    static final int CL_DEVICE_MAX_COMPUTE_UNITS = 0x1002;
    static final int CL_DEVICE_NATIVE_VECTOR_WIDTH_FLOAT = 0x103A;
    static final int CL_DEVICE_MAX_WORK_GROUP_SIZE = 0x1004;
    static final int CL_DEVICE_MAX_MEM_ALLOC_SIZE = 0x1010;
    static final int CL_DEVICE_GLOBAL_MEM_SIZE = 0x101F;
    static final int CL_DEVICE_LOCAL_MEM_SIZE = 0x1023;
    static final int CL_DEVICE_NAME = 0x102B;
    static final int CL_DEVICE_VENDOR = 0x102C;
    static final int CL_DRIVER_VERSION = 0x102D;
    static final int CL_DEVICE_VERSION = 0x102F;

    static final long CL_QUEUE_PROFILING_ENABLE = 1 << 1;
    static final long CL_MEM_READ_WRITE = 1;
    static final int CL_PROGRAM_BINARY_SIZES = 0x1165;
    static final int CL_PROGRAM_BINARIES = 0x1166;
    static final int CL_PROGRAM_BUILD_LOG = 0x1183;
    static final int CL_PROFILING_COMMAND_START = 0x1282;
    static final int CL_PROFILING_COMMAND_END = 0x1283;

    private static final Map<Integer, String> ERRORS = Map.ofEntries(
            Map.entry(0, "CL_SUCCESS"), Map.entry(-1, "CL_DEVICE_NOT_FOUND"), Map.entry(-2, "CL_DEVICE_NOT_AVAILABLE"),
            Map.entry(-3, "CL_COMPILER_NOT_AVAILABLE"), Map.entry(-4, "CL_MEM_OBJECT_ALLOCATION_FAILURE"),
            Map.entry(-5, "CL_OUT_OF_RESOURCES"), Map.entry(-6, "CL_OUT_OF_HOST_MEMORY"),
            Map.entry(-11, "CL_BUILD_PROGRAM_FAILURE"), Map.entry(-30, "CL_INVALID_VALUE"),
            Map.entry(-33, "CL_INVALID_DEVICE"), Map.entry(-34, "CL_INVALID_CONTEXT"),
            Map.entry(-36, "CL_INVALID_COMMAND_QUEUE"), Map.entry(-38, "CL_INVALID_MEM_OBJECT"),
            Map.entry(-42, "CL_INVALID_BINARY"), Map.entry(-43, "CL_INVALID_BUILD_OPTIONS"),
            Map.entry(-44, "CL_INVALID_PROGRAM"), Map.entry(-45, "CL_INVALID_PROGRAM_EXECUTABLE"),
            Map.entry(-46, "CL_INVALID_KERNEL_NAME"), Map.entry(-48, "CL_INVALID_KERNEL"),
            Map.entry(-49, "CL_INVALID_ARG_INDEX"), Map.entry(-50, "CL_INVALID_ARG_VALUE"),
            Map.entry(-51, "CL_INVALID_ARG_SIZE"), Map.entry(-52, "CL_INVALID_KERNEL_ARGS"),
            Map.entry(-53, "CL_INVALID_WORK_DIMENSION"), Map.entry(-54, "CL_INVALID_WORK_GROUP_SIZE"),
            Map.entry(-55, "CL_INVALID_WORK_ITEM_SIZE"), Map.entry(-61, "CL_INVALID_BUFFER_SIZE"),
            Map.entry(-63, "CL_INVALID_GLOBAL_WORK_SIZE"), Map.entry(-1001, "CL_PLATFORM_NOT_FOUND_KHR"));

    private static final NativeLibrary LIB = NativeLibrary.load("libOpenCL.so.1", "libOpenCL.so");

    /** Whether libOpenCL could be loaded at all. */
    static boolean available() {
        return LIB.loaded();
    }

    private static MethodHandle fn(String name, MemoryLayout result, MemoryLayout... args) {
        return LIB.downcall(name, result, args);
    }

    private static final MethodHandle GET_PLATFORM_IDS = fn("clGetPlatformIDs", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle GET_PLATFORM_INFO = fn("clGetPlatformInfo", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
    private static final MethodHandle GET_DEVICE_IDS = fn("clGetDeviceIDs", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle GET_DEVICE_INFO = fn("clGetDeviceInfo", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
    private static final MethodHandle CREATE_CONTEXT = fn("clCreateContext", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle CREATE_QUEUE = fn("clCreateCommandQueue", ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
    private static final MethodHandle CREATE_BUFFER = fn("clCreateBuffer", ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS);
    private static final MethodHandle WRITE_BUFFER = fn("clEnqueueWriteBuffer", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle READ_BUFFER = fn("clEnqueueReadBuffer", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle FILL_BUFFER = fn("clEnqueueFillBuffer", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle CREATE_PROGRAM_WITH_SOURCE = fn("clCreateProgramWithSource", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle CREATE_PROGRAM_WITH_BINARY = fn("clCreateProgramWithBinary", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle BUILD_PROGRAM = fn("clBuildProgram", JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle GET_PROGRAM_BUILD_INFO = fn("clGetProgramBuildInfo", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
    private static final MethodHandle GET_PROGRAM_INFO = fn("clGetProgramInfo", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
    private static final MethodHandle CREATE_KERNEL = fn("clCreateKernel", ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle SET_KERNEL_ARG = fn("clSetKernelArg", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS);
    private static final MethodHandle ENQUEUE_ND_RANGE = fn("clEnqueueNDRangeKernel", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle FINISH = fn("clFinish", JAVA_INT, ADDRESS);
    private static final MethodHandle GET_EVENT_PROFILING_INFO = fn("clGetEventProfilingInfo", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
    private static final MethodHandle RELEASE_EVENT = fn("clReleaseEvent", JAVA_INT, ADDRESS);
    private static final MethodHandle RELEASE_KERNEL = fn("clReleaseKernel", JAVA_INT, ADDRESS);
    private static final MethodHandle RELEASE_PROGRAM = fn("clReleaseProgram", JAVA_INT, ADDRESS);
    private static final MethodHandle RELEASE_MEM = fn("clReleaseMemObject", JAVA_INT, ADDRESS);
    private static final MethodHandle RELEASE_QUEUE = fn("clReleaseCommandQueue", JAVA_INT, ADDRESS);

    private CL() {
    }

    static String errorName(int code) {
        return ERRORS.getOrDefault(code, "CL error " + code);
    }

    /** Throws when {@code status} is not CL_SUCCESS, naming the call. */
    static void check(int status, String call) {
        if (status != CL_SUCCESS) {
            throw new OpenCLException(call + " failed: " + errorName(status) + " (" + status + ")", status);
        }
    }


    static int getPlatformIDs(int n, MemorySegment platforms, MemorySegment count) {
        try {
            return (int) GET_PLATFORM_IDS.invokeExact(n, platforms, count);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int getPlatformInfo(MemorySegment p, int param, long size, MemorySegment value, MemorySegment sizeRet) {
        try {
            return (int) GET_PLATFORM_INFO.invokeExact(p, param, size, value, sizeRet);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int getDeviceIDs(MemorySegment p, long type, int n, MemorySegment devices, MemorySegment count) {
        try {
            return (int) GET_DEVICE_IDS.invokeExact(p, type, n, devices, count);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int getDeviceInfo(MemorySegment d, int param, long size, MemorySegment value, MemorySegment sizeRet) {
        try {
            return (int) GET_DEVICE_INFO.invokeExact(d, param, size, value, sizeRet);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static MemorySegment createContext(MemorySegment props, int n, MemorySegment devices, MemorySegment err) {
        try {
            return (MemorySegment) CREATE_CONTEXT.invokeExact(props, n, devices, MemorySegment.NULL, MemorySegment.NULL, err);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static MemorySegment createCommandQueue(MemorySegment ctx, MemorySegment device, long props, MemorySegment err) {
        try {
            return (MemorySegment) CREATE_QUEUE.invokeExact(ctx, device, props, err);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static MemorySegment createBuffer(MemorySegment ctx, long flags, long size, MemorySegment err) {
        try {
            return (MemorySegment) CREATE_BUFFER.invokeExact(ctx, flags, size, MemorySegment.NULL, err);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int enqueueWriteBuffer(MemorySegment q, MemorySegment mem, boolean blocking, long offset, long size,
                                  MemorySegment ptr, MemorySegment event) {
        try {
            return (int) WRITE_BUFFER.invokeExact(q, mem, blocking ? 1 : 0, offset, size, ptr, 0, MemorySegment.NULL, event);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int enqueueReadBuffer(MemorySegment q, MemorySegment mem, boolean blocking, long offset, long size,
                                 MemorySegment ptr, MemorySegment event) {
        try {
            return (int) READ_BUFFER.invokeExact(q, mem, blocking ? 1 : 0, offset, size, ptr, 0, MemorySegment.NULL, event);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int enqueueFillBuffer(MemorySegment q, MemorySegment mem, MemorySegment pattern, long patternSize, long size) {
        try {
            return (int) FILL_BUFFER.invokeExact(q, mem, pattern, patternSize, 0L, size, 0, MemorySegment.NULL, MemorySegment.NULL);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static MemorySegment createProgramWithSource(MemorySegment ctx, MemorySegment strings, MemorySegment lengths, MemorySegment err) {
        try {
            return (MemorySegment) CREATE_PROGRAM_WITH_SOURCE.invokeExact(ctx, 1, strings, lengths, err);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static MemorySegment createProgramWithBinary(MemorySegment ctx, MemorySegment device, MemorySegment lengths,
                                                 MemorySegment binaries, MemorySegment status, MemorySegment err) {
        try {
            return (MemorySegment) CREATE_PROGRAM_WITH_BINARY.invokeExact(ctx, 1, device, lengths, binaries, status, err);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int buildProgram(MemorySegment program, MemorySegment device, MemorySegment options) {
        try {
            return (int) BUILD_PROGRAM.invokeExact(program, 1, device, options, MemorySegment.NULL, MemorySegment.NULL);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int getProgramBuildInfo(MemorySegment program, MemorySegment device, int param, long size,
                                   MemorySegment value, MemorySegment sizeRet) {
        try {
            return (int) GET_PROGRAM_BUILD_INFO.invokeExact(program, device, param, size, value, sizeRet);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int getProgramInfo(MemorySegment program, int param, long size, MemorySegment value, MemorySegment sizeRet) {
        try {
            return (int) GET_PROGRAM_INFO.invokeExact(program, param, size, value, sizeRet);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static MemorySegment createKernel(MemorySegment program, MemorySegment name, MemorySegment err) {
        try {
            return (MemorySegment) CREATE_KERNEL.invokeExact(program, name, err);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int setKernelArg(MemorySegment kernel, int index, long size, MemorySegment value) {
        try {
            return (int) SET_KERNEL_ARG.invokeExact(kernel, index, size, value);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int enqueueNDRangeKernel(MemorySegment q, MemorySegment kernel, int dims, MemorySegment global,
                                    MemorySegment local, MemorySegment event) {
        try {
            return (int) ENQUEUE_ND_RANGE.invokeExact(q, kernel, dims, MemorySegment.NULL, global, local, 0, MemorySegment.NULL, event);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int finish(MemorySegment q) {
        try {
            return (int) FINISH.invokeExact(q);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int getEventProfilingInfo(MemorySegment event, int param, long size, MemorySegment value) {
        try {
            return (int) GET_EVENT_PROFILING_INFO.invokeExact(event, param, size, value, MemorySegment.NULL);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    private static int release(MethodHandle h, MemorySegment obj) {
        try {
            return (int) h.invokeExact(obj);
        } catch (Throwable t) {
            throw NativeLibrary.rethrow(t);
        }
    }

    static int releaseEvent(MemorySegment e) {
        return release(RELEASE_EVENT, e);
    }

    static int releaseKernel(MemorySegment k) {
        return release(RELEASE_KERNEL, k);
    }

    static int releaseProgram(MemorySegment p) {
        return release(RELEASE_PROGRAM, p);
    }

    static int releaseMemObject(MemorySegment m) {
        return release(RELEASE_MEM, m);
    }

    static int releaseCommandQueue(MemorySegment q) {
        return release(RELEASE_QUEUE, q);
    }
}
