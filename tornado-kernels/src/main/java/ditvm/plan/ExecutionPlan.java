package ditvm.plan;

import ditvm.device.Device;
import ditvm.device.DeviceSession;
import ditvm.device.DeviceSession.CompiledKernel;
import ditvm.device.DeviceSession.DeviceBuffer;
import ditvm.device.DeviceSession.Timer;
import ditvm.device.Devices;
import ditvm.graph.DataTransferMode;
import ditvm.graph.ImmutableTaskGraph;
import ditvm.graph.Task;
import ditvm.graph.Transfer;
import ditvm.kernel.Args;
import ditvm.jit.JavaKernel;
import ditvm.jit.JavaOp;
import ditvm.kernel.Launch;
import ditvm.memory.DeviceArray;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs one or more frozen graphs on a device. The plan owns its device memory (through a
 * {@link DeviceSession} opened on first use) and frees it on {@link #close()}.
 *
 * <p>Threads: {@link #execute()} may be called from several threads; calls are serialised
 * (one execution at a time per plan), so each returns after a complete, correct execution.
 * The {@code with...} options take the same lock, so changing one waits for a running execution.
 * Graphs run in the order given; a graph may consume arrays that an earlier graph persisted.
 */
public final class ExecutionPlan implements AutoCloseable {
    private final java.util.Set<JavaKernel> translated = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final Map<String, ImmutableTaskGraph> graphs = new LinkedHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<DeviceArray, DeviceBuffer> buffers = new IdentityHashMap<>();
    private final Map<String, Integer> executions = new HashMap<>();
    private Device device;
    private DeviceSession session;
    private int warmUpIterations;
    private boolean warmedUp;
    private ProfilerMode profiler = ProfilerMode.OFF;
    private GridScheduler grid = new GridScheduler();
    private boolean printKernel;
    private long preCompileNanos;
    private boolean closed;

    public ExecutionPlan(ImmutableTaskGraph... graphs) {
        if (graphs.length == 0) {
            throw new IllegalArgumentException("an execution plan needs at least one graph");
        }
        for (ImmutableTaskGraph g : graphs) {
            if (this.graphs.putIfAbsent(g.name(), g) != null) {
                throw new IllegalArgumentException("two graphs named '" + g.name() + "' in one plan");
            }
            for (Map.Entry<DeviceArray, String> c : g.consumed().entrySet()) {
                ImmutableTaskGraph producer = this.graphs.get(c.getValue());
                if (producer == null || producer == g) {
                    throw new IllegalArgumentException("graph " + g.name() + " consumes " + c.getKey() + " from graph '"
                            + c.getValue() + "', which is not an earlier graph of this plan");
                }
                if (!producer.persisted().contains(c.getKey())) {
                    throw new IllegalArgumentException("graph " + g.name() + " consumes " + c.getKey() + " from graph "
                            + c.getValue() + ", which does not persistOnDevice it");
                }
            }
        }
    }

    public ExecutionPlan withDevice(Device device) {
        lock.lock();
        try {
            if (this.device != device) {
                releaseSession();
                this.device = device;
            }
            return this;
        } finally {
            lock.unlock();
        }
    }

    /** Executions run, untimed and unreported, before the first {@link #execute()} reports. */
    public ExecutionPlan withWarmUpIterations(int n) {
        lock.lock();
        try {
            if (n < 0) {
                throw new IllegalArgumentException("warm-up iterations must be >= 0, found " + n);
            }
            this.warmUpIterations = n;
            return this;
        } finally {
            lock.unlock();
        }
    }

    public ExecutionPlan withProfiler(ProfilerMode mode) {
        lock.lock();
        try {
            this.profiler = mode;
            return this;
        } finally {
            lock.unlock();
        }
    }

    /** Work sizes per task that replace the kernels' own; unknown graph or task names are refused. */
    public ExecutionPlan withGridScheduler(GridScheduler scheduler) {
        lock.lock();
        try {
            for (GridScheduler.TaskRef ref : scheduler.entries().keySet()) {
                ImmutableTaskGraph g = graphs.get(ref.graph());
                if (g == null) {
                    throw new IllegalArgumentException("grid scheduler names graph '" + ref.graph() + "'; the plan has "
                            + graphs.keySet());
                }
                g.task(ref.task());
            }
            this.grid = scheduler;
            return this;
        } finally {
            lock.unlock();
        }
    }

    /** Prints each kernel's final source (prelude included) when it is compiled. */
    public ExecutionPlan withPrintKernel() {
        lock.lock();
        try {
            this.printKernel = true;
            return this;
        } finally {
            lock.unlock();
        }
    }

    /** Compiles every kernel now, so that no execution pays for JIT; the time is {@link #preCompileNanos()}. */
    public ExecutionPlan withPreCompilation() {
        lock.lock();
        try {
            DeviceSession s = session();
            for (ImmutableTaskGraph g : graphs.values()) {
                for (Task t : g.tasks()) {
                    preCompileNanos += s.compile(t.kernel(), printKernel).compileNanos();
                }
            }
            return this;
        } finally {
            lock.unlock();
        }
    }

    public long preCompileNanos() {
        return preCompileNanos;
    }

    public Device device() {
        return device != null ? device : Devices.defaultDevice();
    }

    public List<ImmutableTaskGraph> graphs() {
        return List.copyOf(graphs.values());
    }

    /** Executes every graph in order. */
    public ExecutionResult execute() {
        return execute(graphs.keySet().toArray(String[]::new));
    }

    /** Executes the named graphs, in the order given. */
    public ExecutionResult execute(String... graphNames) {
        lock.lock();
        try {
            List<ImmutableTaskGraph> selected = new ArrayList<>();
            for (String n : graphNames) {
                ImmutableTaskGraph g = graphs.get(n);
                if (g == null) {
                    throw new IllegalArgumentException("no graph '" + n + "' in this plan; it has " + graphs.keySet());
                }
                selected.add(g);
            }
            if (!warmedUp) {
                warmedUp = true;
                for (int i = 0; i < warmUpIterations; i++) {
                    for (ImmutableTaskGraph g : selected) {
                        run(g, ProfilerMode.OFF);
                    }
                }
            }
            List<GraphProfile> profiles = new ArrayList<>();
            for (ImmutableTaskGraph g : selected) {
                profiles.add(run(g, profiler));
            }
            ExecutionResult result = new ExecutionResult(this, device().id(), profiles);
            if (profiler == ProfilerMode.CONSOLE) {
                System.err.print(result);
            }
            return result;
        } finally {
            lock.unlock();
        }
    }

    private DeviceSession session() {
        if (closed) {
            throw new IllegalStateException("execution plan is closed");
        }
        if (session == null) {
            if (device == null) {
                device = Devices.defaultDevice();
            }
            session = device.openSession();
        }
        return session;
    }

    private DeviceBuffer buffer(DeviceSession s, DeviceArray a) {
        return buffers.computeIfAbsent(a, s::allocate);
    }

    private GraphProfile run(ImmutableTaskGraph g, ProfilerMode mode) {
        boolean timed = mode != ProfilerMode.OFF;
        long t0 = System.nanoTime();
        DeviceSession s = session();
        for (Map.Entry<DeviceArray, String> c : g.consumed().entrySet()) {
            if (!buffers.containsKey(c.getKey())) {
                throw new IllegalStateException("graph " + g.name() + " consumes " + c.getKey() + " from graph "
                        + c.getValue() + ", which has not executed yet in this plan");
            }
        }
        long compile = 0;
        long translate = 0;
        List<CompiledKernel> compiled = new ArrayList<>();
        for (Task t : g.tasks()) {
            CompiledKernel k = s.compile(t.kernel(), printKernel);
            compile += k.compileNanos();
            JavaKernel jk = t.kernel() instanceof JavaOp op ? op.javaKernel() : t.kernel() instanceof JavaKernel j ? j : null;
            if (jk != null && translated.add(jk)) {
                translate += jk.translateNanos();
            }
            compiled.add(k);
        }
        boolean first = executions.getOrDefault(g.name(), 0) == 0;
        List<Timer> in = new ArrayList<>();
        long inBytes = 0;
        for (Transfer tr : g.transfers()) {
            if (tr.direction() != Transfer.Direction.TO_DEVICE) {
                continue;
            }
            if (tr.mode() == DataTransferMode.EVERY_EXECUTION || first) {
                for (DeviceArray a : tr.arrays()) {
                    in.add(s.copyIn(buffer(s, a), a, timed));
                    inBytes += a.byteSize();
                }
            }
        }
        List<Timer> kernels = new ArrayList<>();
        List<String> launches = new ArrayList<>();
        for (int i = 0; i < g.tasks().size(); i++) {
            Task t = g.tasks().get(i);
            Launch launch = grid.launchFor(g.name(), t.id()).orElseGet(() -> launchOf(g, t));
            if (t.kernel() instanceof JavaKernel jk) {
                try {
                    jk.checkLaunch(t.args(), launch);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("task " + g.name() + "." + t.id() + ": " + e.getMessage(), e);
                }
            }
            launches.add(launch.toString());
            kernels.add(s.launch(compiled.get(i), deviceArgs(s, t.args()), launch, timed));
        }
        List<Timer> out = new ArrayList<>();
        long outBytes = 0;
        for (Transfer tr : g.transfers()) {
            if (tr.direction() == Transfer.Direction.TO_HOST && tr.mode() == DataTransferMode.EVERY_EXECUTION) {
                for (DeviceArray a : tr.arrays()) {
                    out.add(s.copyOut(buffer(s, a), a, timed));
                    outBytes += a.byteSize();
                }
            }
        }
        for (DeviceArray a : g.persisted()) {
            buffer(s, a);
        }
        s.finish();
        executions.merge(g.name(), 1, Integer::sum);
        List<TaskProfile> tasks = new ArrayList<>();
        for (int i = 0; i < g.tasks().size(); i++) {
            Task t = g.tasks().get(i);
            tasks.add(new TaskProfile(t.id(), t.kernel().name(), launches.get(i), kernels.get(i).nanos()));
        }
        return new GraphProfile(g.name(), tasks, compile, translate, sum(in), inBytes, sum(out), outBytes,
                System.nanoTime() - t0);
    }

    private static Launch launchOf(ImmutableTaskGraph g, Task t) {
        try {
            return t.kernel().launch(t.args());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("task " + g.name() + "." + t.id() + ": " + e.getMessage(), e);
        }
    }

    private static long sum(List<Timer> timers) {
        return timers.stream().mapToLong(Timer::nanos).sum();
    }

    private Args deviceArgs(DeviceSession s, Args args) {
        List<Object> values = new ArrayList<>(args.size());
        for (Object v : args.values()) {
            values.add(v instanceof DeviceArray a ? buffer(s, a) : v);
        }
        return new Args(values);
    }

    void transferUnderDemand(DeviceArray... arrays) {
        lock.lock();
        try {
            DeviceSession s = session();
            for (DeviceArray a : arrays) {
                boolean declared = graphs.values().stream().flatMap(g -> g.transfers().stream())
                        .anyMatch(t -> t.direction() == Transfer.Direction.TO_HOST
                                && t.mode() == DataTransferMode.UNDER_DEMAND && t.arrays().contains(a));
                if (!declared || !buffers.containsKey(a)) {
                    throw new IllegalArgumentException(a + " was not declared transferToHost(UNDER_DEMAND) by an executed graph");
                }
                s.copyOut(buffers.get(a), a, false);
            }
            s.finish();
        } finally {
            lock.unlock();
        }
    }

    private void releaseSession() {
        if (session != null) {
            session.close();
            session = null;
        }
        buffers.clear();
        executions.clear();
        warmedUp = false;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            releaseSession();
            closed = true;
        } finally {
            lock.unlock();
        }
    }
}
