package ditvm.device.java;

import ditvm.device.DeviceSession;
import ditvm.jit.JavaKernel;
import ditvm.jit.JavaOp;
import ditvm.kernel.Args;
import ditvm.kernel.Kernel;
import ditvm.kernel.Launch;
import ditvm.memory.DeviceArray;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/** A plan's session on the Java device: buffers are off-heap copies, launches run synchronously. */
final class JavaSession implements DeviceSession {
    private final ForkJoinPool pool;
    private final List<DeviceArray> buffers = new ArrayList<>();

    JavaSession(ForkJoinPool pool) {
        this.pool = pool;
    }

    private record Buffer(DeviceArray array) implements DeviceBuffer {
        @Override
        public long byteSize() {
            return array.byteSize();
        }

        @Override
        public long length() {
            return array.length();
        }
    }

    private record Compiled(Kernel kernel) implements CompiledKernel {
        @Override
        public long compileNanos() {
            return 0;
        }
    }

    @Override
    public DeviceBuffer allocate(DeviceArray host) {
        DeviceArray copy = switch (host) {
            case FloatArray f -> new FloatArray(f.length());
            case IntArray i -> new IntArray(i.length());
        };
        buffers.add(copy);
        return new Buffer(copy);
    }

    @Override
    public Timer copyIn(DeviceBuffer buffer, DeviceArray host, boolean timed) {
        return timedCopy(host.segment(), ((Buffer) buffer).array.segment(), timed);
    }

    @Override
    public Timer copyOut(DeviceBuffer buffer, DeviceArray host, boolean timed) {
        return timedCopy(((Buffer) buffer).array.segment(), host.segment(), timed);
    }

    private static Timer timedCopy(MemorySegment from, MemorySegment to, boolean timed) {
        long t0 = timed ? System.nanoTime() : 0;
        MemorySegment.copy(from, 0, to, 0, from.byteSize());
        if (!timed) {
            return Timer.NONE;
        }
        long ns = System.nanoTime() - t0;
        return () -> ns;
    }

    @Override
    public CompiledKernel compile(Kernel kernel, boolean printSource) {
        if (printSource) {
            System.out.println(kernel instanceof JavaKernel || kernel instanceof JavaOp
                    ? "// java device: kernel " + kernel.name() + " runs its Java method (" + kernel.sourceFile() + ") itself"
                    : "// java device: kernel " + kernel.name() + " runs its Java reference " + kernel.getClass().getName()
                    + ".reference");
        }
        return new Compiled(kernel);
    }

    @Override
    public Timer launch(CompiledKernel kernel, Args args, Launch launch, boolean timed) {
        List<Object> device = new ArrayList<>(args.size());
        for (Object v : args.values()) {
            device.add(v instanceof Buffer b ? b.array : v);
        }
        Args a = new Args(device);
        Kernel k = kernel.kernel();
        long t0 = timed ? System.nanoTime() : 0;
        long units = k.parallelism(a);
        if (k instanceof JavaKernel jk) {
            jk.runInJvm(a, launch, pool);
        } else if (k instanceof JavaOp op) {
            op.runInJvm(a, launch, pool);
        } else if (units > 0) {
            pool.invoke(new Split(k, a, 0, units, Math.max(1, units / (4L * pool.getParallelism()))));
        }
        if (!timed) {
            return Timer.NONE;
        }
        long ns = System.nanoTime() - t0;
        return () -> ns;
    }

    /** Halves [from, to) until a piece is at most {@code grain} units, then runs the reference. */
    private static final class Split extends RecursiveAction {
        private final Kernel kernel;
        private final Args args;
        private final long from;
        private final long to;
        private final long grain;

        Split(Kernel kernel, Args args, long from, long to, long grain) {
            this.kernel = kernel;
            this.args = args;
            this.from = from;
            this.to = to;
            this.grain = grain;
        }

        @Override
        protected void compute() {
            if (to - from <= grain) {
                kernel.reference(args, from, to);
                return;
            }
            long mid = (from + to) >>> 1;
            invokeAll(new Split(kernel, args, from, mid, grain), new Split(kernel, args, mid, to, grain));
        }
    }

    @Override
    public void finish() {
    }

    @Override
    public void close() {
        buffers.forEach(DeviceArray::close);
        buffers.clear();
    }
}
