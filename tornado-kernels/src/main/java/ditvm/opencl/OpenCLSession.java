package ditvm.opencl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import ditvm.device.DeviceSession;
import ditvm.device.KernelBuildException;
import ditvm.kernel.Args;
import ditvm.kernel.Kernel;
import ditvm.kernel.Launch;
import ditvm.memory.DeviceArray;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan's session on an OpenCL device: an in-order profiling queue, the plan's buffers and
 * kernel objects, all released on {@link #close()}. Events are only created for timed
 * operations, so profiling off adds nothing to a launch.
 */
final class OpenCLSession implements DeviceSession {
    private final OpenCLDevice device;
    // Shared, not confined: a plan may be executed from several threads, one at a time.
    private final Arena arena = Arena.ofShared();
    private Arena eventArena = Arena.ofShared(); // event slots until the next finish()
    private final MemorySegment queue;
    private final MemorySegment scratch; // argument values and work sizes, reused per call
    private final List<MemorySegment> buffers = new ArrayList<>();
    private final Map<Kernel, Compiled> kernels = new IdentityHashMap<>();
    private final List<PendingEvent> pending = new ArrayList<>();
    private boolean closed;

    OpenCLSession(OpenCLDevice device) {
        this.device = device;
        MemorySegment err = arena.allocate(JAVA_INT);
        this.queue = CL.createCommandQueue(device.context(), device.deviceId(), CL.CL_QUEUE_PROFILING_ENABLE, err);
        CL.check(err.get(JAVA_INT, 0), "clCreateCommandQueue on " + device.id());
        this.scratch = arena.allocate(64, 8);
    }

    private record Buffer(MemorySegment mem, long byteSize, long length) implements DeviceBuffer {
    }

    /** {@code fixedLocal}: the work-group size a precompiled binary was built for, else null. */
    private record Compiled(Kernel kernel, MemorySegment clKernel, long compileNanos, long[] fixedLocal)
            implements CompiledKernel {
    }

    /** An event whose duration is read once the queue has finished. */
    private static final class PendingEvent implements Timer {
        final MemorySegment slot;
        long nanos = -1;

        PendingEvent(MemorySegment slot) {
            this.slot = slot;
        }

        @Override
        public long nanos() {
            if (nanos < 0) {
                throw new IllegalStateException("event read before the session finished");
            }
            return nanos;
        }
    }

    @Override
    public DeviceBuffer allocate(DeviceArray host) {
        long size = Math.max(host.byteSize(), 4);
        MemorySegment err = scratch.asSlice(0, 4);
        MemorySegment mem = CL.createBuffer(device.context(), CL.CL_MEM_READ_WRITE, size, err);
        CL.check(err.get(JAVA_INT, 0), "clCreateBuffer of " + size + " bytes on " + device.id());
        buffers.add(mem);
        MemorySegment zero = scratch.asSlice(8, 4);
        zero.set(JAVA_INT, 0, 0);
        CL.check(CL.enqueueFillBuffer(queue, mem, zero, 4, size), "clEnqueueFillBuffer");
        return new Buffer(mem, size, host.length());
    }

    private MemorySegment eventSlot(boolean timed) {
        return timed ? eventArena.allocate(ADDRESS) : MemorySegment.NULL;
    }

    private Timer track(MemorySegment slot) {
        if (slot.equals(MemorySegment.NULL)) {
            return Timer.NONE;
        }
        PendingEvent e = new PendingEvent(slot);
        pending.add(e);
        return e;
    }

    @Override
    public Timer copyIn(DeviceBuffer buffer, DeviceArray host, boolean timed) {
        MemorySegment slot = eventSlot(timed);
        CL.check(CL.enqueueWriteBuffer(queue, ((Buffer) buffer).mem, false, 0, host.byteSize(), host.segment(), slot),
                "clEnqueueWriteBuffer of " + host.byteSize() + " bytes");
        return track(slot);
    }

    @Override
    public Timer copyOut(DeviceBuffer buffer, DeviceArray host, boolean timed) {
        MemorySegment slot = eventSlot(timed);
        CL.check(CL.enqueueReadBuffer(queue, ((Buffer) buffer).mem, false, 0, host.byteSize(), host.segment(), slot),
                "clEnqueueReadBuffer of " + host.byteSize() + " bytes");
        return track(slot);
    }

    @Override
    public CompiledKernel compile(Kernel kernel, boolean printSource) {
        Compiled c = kernels.get(kernel);
        if (c != null) {
            return new Compiled(kernel, c.clKernel, 0, c.fixedLocal);
        }
        if (kernel.sourceFile().endsWith(".cu")) {
            throw new KernelBuildException(kernel.name(), device.id(), kernel.sourceFile()
                    + " is CUDA-only (CUDA C++ with inline PTX); run it on a cuda:N device");
        }
        String text = OpenCLDevice.programText(kernel);
        String options = OpenCLDevice.buildOptions(kernel);
        if (printSource) {
            System.out.println("// kernel " + kernel.name() + " for " + device.id() + ", options: " + options);
            System.out.println(text);
        }
        OpenCLDevice.BuiltProgram program = device.program(kernel, text, options);
        MemorySegment err = scratch.asSlice(0, 4);
        MemorySegment k = CL.createKernel(program.program(), arena.allocateFrom(kernel.entryPoint()), err);
        CL.check(err.get(JAVA_INT, 0), "clCreateKernel " + kernel.entryPoint() + " from " + kernel.sourceFile());
        c = new Compiled(kernel, k, program.buildNanos(), device.fixedLocalSize(kernel));
        kernels.put(kernel, c);
        return c;
    }

    @Override
    public Timer launch(CompiledKernel kernel, Args args, Launch launch, boolean timed) {
        Compiled compiled = (Compiled) kernel;
        if (compiled.fixedLocal != null && !Arrays.equals(compiled.fixedLocal, launch.local())) {
            throw new PrecompiledException("kernel " + kernel.kernel().name() + " launched with local size "
                    + (launch.local() == null ? "auto" : Arrays.toString(launch.local())) + ", but its binary in "
                    + device.precompiledFolder() + " was compiled for fixed local size " + Arrays.toString(compiled.fixedLocal));
        }
        MemorySegment k = compiled.clKernel;
        List<Object> values = kernel.kernel().nativeArguments(args);
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            int status = switch (v) {
                case Buffer b -> {
                    scratch.set(ADDRESS, 0, b.mem);
                    yield CL.setKernelArg(k, i, ADDRESS.byteSize(), scratch);
                }
                case Integer n -> {
                    scratch.set(JAVA_INT, 0, n);
                    yield CL.setKernelArg(k, i, 4, scratch);
                }
                case Float f -> {
                    scratch.set(JAVA_FLOAT, 0, f);
                    yield CL.setKernelArg(k, i, 4, scratch);
                }
                case Long n -> {
                    scratch.set(JAVA_LONG, 0, n);
                    yield CL.setKernelArg(k, i, 8, scratch);
                }
                case Double d -> {
                    scratch.set(java.lang.foreign.ValueLayout.JAVA_DOUBLE, 0, d);
                    yield CL.setKernelArg(k, i, 8, scratch);
                }
                default -> throw new IllegalArgumentException("argument " + i + " of " + kernel.kernel().name()
                        + " has no OpenCL form: " + v);
            };
            CL.check(status, "clSetKernelArg " + i + " of " + kernel.kernel().name());
        }
        int dims = launch.dimensions();
        MemorySegment global = scratch.asSlice(8, 24);
        MemorySegment local = scratch.asSlice(32, 24);
        for (int d = 0; d < dims; d++) {
            global.setAtIndex(JAVA_LONG, d, launch.global()[d]);
            if (launch.local() != null) {
                local.setAtIndex(JAVA_LONG, d, launch.local()[d]);
            }
        }
        MemorySegment slot = eventSlot(timed);
        int status = CL.enqueueNDRangeKernel(queue, k, dims, global, launch.local() == null ? MemorySegment.NULL : local, slot);
        CL.check(status, "clEnqueueNDRangeKernel " + kernel.kernel().name() + " (" + launch + ")");
        return track(slot);
    }

    @Override
    public void finish() {
        CL.check(CL.finish(queue), "clFinish on " + device.id());
        if (pending.isEmpty()) {
            return;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment t = a.allocate(JAVA_LONG, 2);
            for (PendingEvent e : pending) {
                MemorySegment event = e.slot.get(ADDRESS, 0);
                CL.check(CL.getEventProfilingInfo(event, CL.CL_PROFILING_COMMAND_START, 8, t), "clGetEventProfilingInfo");
                CL.check(CL.getEventProfilingInfo(event, CL.CL_PROFILING_COMMAND_END, 8, t.asSlice(8)), "clGetEventProfilingInfo");
                e.nanos = t.getAtIndex(JAVA_LONG, 1) - t.getAtIndex(JAVA_LONG, 0);
                CL.releaseEvent(event);
            }
        }
        pending.clear();
        eventArena.close();
        eventArena = Arena.ofShared();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        CL.finish(queue);
        for (PendingEvent e : pending) {
            CL.releaseEvent(e.slot.get(ADDRESS, 0));
        }
        pending.clear();
        kernels.values().forEach(c -> CL.releaseKernel(c.clKernel));
        kernels.clear();
        buffers.forEach(CL::releaseMemObject);
        buffers.clear();
        CL.releaseCommandQueue(queue);
        eventArena.close();
        arena.close();
    }
}
