package ditvm.opencl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import ditvm.device.Device;
import ditvm.device.DeviceInfo;
import ditvm.device.DeviceSession;
import ditvm.device.DeviceType;
import ditvm.device.KernelBuildException;
import ditvm.kernel.KernelSources;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * One OpenCL device, {@code opencl:P:D}. Holds the context (created on first use) and the
 * program cache keyed by (program text hash, build options); each plan gets an
 * {@link OpenCLSession} with its own queue, buffers and kernel objects.
 */
public final class OpenCLDevice implements Device {
    private final DeviceInfo info;
    private final MemorySegment deviceId;
    private final Map<String, MemorySegment> programs = new HashMap<>();
    private MemorySegment context;

    OpenCLDevice(DeviceInfo info, MemorySegment deviceId) {
        this.info = info;
        this.deviceId = deviceId;
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

    /** A built program for {@code programText} and {@code options}, from the cache or built now. */
    synchronized BuiltProgram program(String kernelName, String programText, String options) {
        String key = KernelSources.sha256(programText) + "|" + options;
        MemorySegment cached = programs.get(key);
        if (cached != null) {
            return new BuiltProgram(cached, 0);
        }
        long t0 = System.nanoTime();
        MemorySegment program = build(kernelName, programText, options);
        long ns = System.nanoTime() - t0;
        programs.put(key, program);
        return new BuiltProgram(program, ns);
    }

    record BuiltProgram(MemorySegment program, long buildNanos) {
    }

    private MemorySegment build(String kernelName, String programText, String options) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment text = a.allocateFrom(programText);
            MemorySegment strings = a.allocate(ADDRESS);
            strings.set(ADDRESS, 0, text);
            MemorySegment lengths = a.allocate(JAVA_LONG);
            lengths.set(JAVA_LONG, 0, text.byteSize() - 1);
            MemorySegment err = a.allocate(JAVA_INT);
            MemorySegment program = CL.createProgramWithSource(context(), strings, lengths, err);
            CL.check(err.get(JAVA_INT, 0), "clCreateProgramWithSource for kernel " + kernelName);
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
            return program;
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
