package ditvm.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import ditvm.device.DeviceSession;
import ditvm.kernel.Args;
import ditvm.kernel.Kernel;
import ditvm.kernel.KernelSources;
import ditvm.kernel.Launch;
import ditvm.memory.DeviceArray;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan's session on a CUDA device: one stream, the plan's allocations and functions, all
 * released on {@link #close()}. Timed operations are bracketed by a pair of events on the
 * stream; untimed ones create none.
 *
 * <p>Launch geometry: a ditvm {@link Launch} is an OpenCL NDRange (global = total work-items,
 * a multiple of local), so grid = global / local and block = local; a launch without local
 * gets the largest block of at most 256 threads that divides global in dimension 0.
 */
final class CudaSession implements DeviceSession {
    private static final int MAX_ARGS = 32;
    private static final long AUTO_BLOCK = 256;

    private final CudaDevice device;
    // Shared, not confined: a plan may be executed from several threads, one at a time.
    private final Arena arena = Arena.ofShared();
    private final MemorySegment stream;
    private final MemorySegment argValues;   // 8 bytes per argument
    private final MemorySegment argPointers; // void*[]: argPointers[i] = &argValues[i]
    private final MemorySegment out;         // out-parameter of driver calls
    private final List<Long> buffers = new ArrayList<>();
    private final Map<Kernel, Compiled> kernels = new IdentityHashMap<>();
    private final List<PendingEvent> pending = new ArrayList<>();
    private boolean closed;

    CudaSession(CudaDevice device) {
        this.device = device;
        device.makeCurrent();
        this.out = arena.allocate(8, 8);
        CU.check(CU.streamCreate(out, 0), "cuStreamCreate on " + device.id());
        this.stream = out.get(ADDRESS, 0);
        this.argValues = arena.allocate(8L * MAX_ARGS, 8);
        this.argPointers = arena.allocate(ADDRESS, MAX_ARGS);
        for (int i = 0; i < MAX_ARGS; i++) {
            argPointers.setAtIndex(ADDRESS, i, argValues.asSlice(8L * i, 8));
        }
    }

    private record Buffer(long ptr, long byteSize, long length) implements DeviceBuffer {
    }

    private record Compiled(Kernel kernel, MemorySegment function, long compileNanos) implements CompiledKernel {
    }

    /** Two events around one operation; the time between them is read once the stream has finished. */
    private static final class PendingEvent implements Timer {
        final MemorySegment start;
        final MemorySegment end;
        long nanos = -1;

        PendingEvent(MemorySegment start, MemorySegment end) {
            this.start = start;
            this.end = end;
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
        device.makeCurrent();
        long size = Math.max((host.byteSize() + 3) / 4 * 4, 4);
        CU.check(CU.memAlloc(out, size), "cuMemAlloc of " + size + " bytes on " + device.id());
        long ptr = out.get(JAVA_LONG, 0);
        buffers.add(ptr);
        CU.check(CU.memsetD32Async(ptr, 0, size / 4, stream), "cuMemsetD32Async");
        return new Buffer(ptr, size, host.length());
    }

    private MemorySegment event() {
        CU.check(CU.eventCreate(out, CU.EVENT_DEFAULT), "cuEventCreate");
        return out.get(ADDRESS, 0);
    }

    /** Records a start event when timed; null otherwise. */
    private MemorySegment begin(boolean timed) {
        if (!timed) {
            return null;
        }
        MemorySegment start = event();
        CU.check(CU.eventRecord(start, stream), "cuEventRecord");
        return start;
    }

    private Timer end(MemorySegment start) {
        if (start == null) {
            return Timer.NONE;
        }
        MemorySegment end = event();
        CU.check(CU.eventRecord(end, stream), "cuEventRecord");
        PendingEvent e = new PendingEvent(start, end);
        pending.add(e);
        return e;
    }

    @Override
    public Timer copyIn(DeviceBuffer buffer, DeviceArray host, boolean timed) {
        device.makeCurrent();
        MemorySegment start = begin(timed);
        CU.check(CU.memcpyHtoDAsync(((Buffer) buffer).ptr, host.segment(), host.byteSize(), stream),
                "cuMemcpyHtoDAsync of " + host.byteSize() + " bytes");
        return end(start);
    }

    @Override
    public Timer copyOut(DeviceBuffer buffer, DeviceArray host, boolean timed) {
        device.makeCurrent();
        MemorySegment start = begin(timed);
        CU.check(CU.memcpyDtoHAsync(host.segment(), ((Buffer) buffer).ptr, host.byteSize(), stream),
                "cuMemcpyDtoHAsync of " + host.byteSize() + " bytes");
        return end(start);
    }

    @Override
    public CompiledKernel compile(Kernel kernel, boolean printSource) {
        Compiled c = kernels.get(kernel);
        if (c != null) {
            return new Compiled(kernel, c.function, 0);
        }
        device.makeCurrent();
        String text = kernel.programText(KernelSources.Target.CUDA);
        String options = kernel.buildOptions(KernelSources.Target.CUDA).trim();
        if (printSource) {
            System.out.println("// kernel " + kernel.name() + " for " + device.id() + " (sm_" + device.computeCapability()
                    + "), options: " + options);
            System.out.println(text);
        }
        CudaDevice.LoadedModule module = device.module(kernel.name(), kernel.sourceFile(), text, options, printSource);
        CU.check(CU.moduleGetFunction(out, module.module(), arena.allocateFrom(kernel.entryPoint())),
                "cuModuleGetFunction " + kernel.entryPoint() + " from " + kernel.sourceFile());
        c = new Compiled(kernel, out.get(ADDRESS, 0), module.buildNanos());
        kernels.put(kernel, c);
        return c;
    }

    @Override
    public Timer launch(CompiledKernel kernel, Args args, Launch launch, boolean timed) {
        List<Object> values = kernel.kernel().nativeArguments(args);
        if (values.size() > MAX_ARGS) {
            throw new IllegalArgumentException(kernel.kernel().name() + " has " + values.size() + " arguments, at most "
                    + MAX_ARGS + " are supported");
        }
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            long at = 8L * i;
            switch (v) {
                case Buffer b -> argValues.set(JAVA_LONG, at, b.ptr);
                case Integer n -> argValues.set(JAVA_INT, at, n);
                case Float f -> argValues.set(JAVA_FLOAT, at, f);
                case Long n -> argValues.set(JAVA_LONG, at, n);
                case Double d -> argValues.set(java.lang.foreign.ValueLayout.JAVA_DOUBLE, at, d);
                default -> throw new IllegalArgumentException("argument " + i + " of " + kernel.kernel().name()
                        + " has no CUDA form: " + v);
            }
        }
        long[] grid = {1, 1, 1};
        long[] block = {1, 1, 1};
        for (int d = 0; d < launch.dimensions(); d++) {
            long g = launch.global()[d];
            long l = launch.local() != null ? launch.local()[d] : d == 0 ? autoBlock(g) : 1;
            grid[d] = g / l;
            block[d] = l;
        }
        if (grid[0] > Integer.MAX_VALUE || grid[1] > 65535 || grid[2] > 65535) {
            throw new IllegalArgumentException(kernel.kernel().name() + ": grid " + grid[0] + " x " + grid[1] + " x "
                    + grid[2] + " (from " + launch + ") exceeds CUDA's limits 2^31-1 x 65535 x 65535");
        }
        device.makeCurrent();
        MemorySegment start = begin(timed);
        int status = CU.launchKernel(((Compiled) kernel).function, (int) grid[0], (int) grid[1], (int) grid[2],
                (int) block[0], (int) block[1], (int) block[2], 0, stream, argPointers);
        CU.check(status, "cuLaunchKernel " + kernel.kernel().name() + " (" + launch + ")");
        return end(start);
    }

    /** The largest block of at most {@value #AUTO_BLOCK} threads dividing {@code global}. */
    static long autoBlock(long global) {
        for (long b = Math.min(AUTO_BLOCK, global); b > 1; b--) {
            if (global % b == 0) {
                return b;
            }
        }
        return 1;
    }

    @Override
    public void finish() {
        device.makeCurrent();
        CU.check(CU.streamSynchronize(stream), "cuStreamSynchronize on " + device.id());
        MemorySegment ms = out;
        for (PendingEvent e : pending) {
            CU.check(CU.eventElapsedTime(ms, e.start, e.end), "cuEventElapsedTime");
            e.nanos = Math.round(ms.get(JAVA_FLOAT, 0) * 1e6);
            CU.eventDestroy(e.start);
            CU.eventDestroy(e.end);
        }
        pending.clear();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        device.makeCurrent();
        CU.streamSynchronize(stream);
        for (PendingEvent e : pending) {
            CU.eventDestroy(e.start);
            CU.eventDestroy(e.end);
        }
        pending.clear();
        kernels.clear(); // functions belong to the device's cached modules
        buffers.forEach(CU::memFree);
        buffers.clear();
        CU.streamDestroy(stream);
        arena.close();
    }
}
