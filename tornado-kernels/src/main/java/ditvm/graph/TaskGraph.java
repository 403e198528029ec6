package ditvm.graph;

import ditvm.api.Tasks;
import ditvm.jit.JavaKernel;
import ditvm.jit.MethodRefs;
import ditvm.kernel.Args;
import ditvm.kernel.Kernel;
import ditvm.memory.DeviceArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A graph under construction, as in TornadoVM: data movement declared beside the tasks,
 * tasks run in the order added. Arguments are checked against the kernel's parameters here,
 * not at execution. {@link #snapshot()} freezes it for an {@link ditvm.plan.ExecutionPlan}.
 *
 * <p>An array that a task uses but no transfer names lives on the device only (a zero-filled
 * intermediate). Host-to-device copies run before the tasks, device-to-host copies after.
 */
public final class TaskGraph {
    private final String name;
    private final List<Transfer> transfers = new ArrayList<>();
    private final Map<String, Task> tasks = new LinkedHashMap<>();
    private final Set<DeviceArray> persisted = new LinkedHashSet<>();
    private final Map<DeviceArray, String> consumed = new LinkedHashMap<>();

    public TaskGraph(String name) {
        if (name == null || name.isBlank() || name.contains(".")) {
            throw new IllegalArgumentException("a graph name is non-empty and has no '.', found '" + name + "'");
        }
        this.name = name;
    }

    public TaskGraph transferToDevice(DataTransferMode mode, DeviceArray... arrays) {
        if (mode == DataTransferMode.UNDER_DEMAND) {
            throw new IllegalArgumentException("graph " + name + ": UNDER_DEMAND is for transferToHost; "
                    + "to the device use FIRST_EXECUTION or EVERY_EXECUTION");
        }
        transfers.add(new Transfer(Transfer.Direction.TO_DEVICE, mode, List.of(arrays)));
        return this;
    }

    public TaskGraph transferToHost(DataTransferMode mode, DeviceArray... arrays) {
        if (mode == DataTransferMode.FIRST_EXECUTION) {
            throw new IllegalArgumentException("graph " + name + ": transferToHost takes EVERY_EXECUTION or UNDER_DEMAND");
        }
        transfers.add(new Transfer(Transfer.Direction.TO_HOST, mode, List.of(arrays)));
        return this;
    }

    /**
     * Adds a task whose kernel is a Java method, as TornadoVM: {@code task("saxpy", MyKernels::saxpy, x, y, 2f, n)}.
     * The method (public static void) is translated to C now, so a construct outside the kernel
     * subset is refused here, and the arguments are checked against its parameter types.
     */
    public <A> TaskGraph task(String id, Tasks.T1<A> method, A a0) {
        return javaTask(id, method, a0);
    }

    public <A, B> TaskGraph task(String id, Tasks.T2<A, B> method, A a0, B b1) {
        return javaTask(id, method, a0, b1);
    }

    public <A, B, C> TaskGraph task(String id, Tasks.T3<A, B, C> method, A a0, B b1, C c2) {
        return javaTask(id, method, a0, b1, c2);
    }

    public <A, B, C, D> TaskGraph task(String id, Tasks.T4<A, B, C, D> method, A a0, B b1, C c2, D d3) {
        return javaTask(id, method, a0, b1, c2, d3);
    }

    public <A, B, C, D, E> TaskGraph task(String id, Tasks.T5<A, B, C, D, E> method, A a0, B b1, C c2, D d3, E e4) {
        return javaTask(id, method, a0, b1, c2, d3, e4);
    }

    public <A, B, C, D, E, F> TaskGraph task(String id, Tasks.T6<A, B, C, D, E, F> method, A a0, B b1, C c2, D d3, E e4, F f5) {
        return javaTask(id, method, a0, b1, c2, d3, e4, f5);
    }

    public <A, B, C, D, E, F, G> TaskGraph task(String id, Tasks.T7<A, B, C, D, E, F, G> method, A a0, B b1, C c2, D d3, E e4, F f5, G g6) {
        return javaTask(id, method, a0, b1, c2, d3, e4, f5, g6);
    }

    public <A, B, C, D, E, F, G, H> TaskGraph task(String id, Tasks.T8<A, B, C, D, E, F, G, H> method, A a0, B b1, C c2, D d3, E e4, F f5, G g6, H h7) {
        return javaTask(id, method, a0, b1, c2, d3, e4, f5, g6, h7);
    }

    public <A, B, C, D, E, F, G, H, I> TaskGraph task(String id, Tasks.T9<A, B, C, D, E, F, G, H, I> method, A a0, B b1, C c2, D d3, E e4, F f5, G g6, H h7, I i8) {
        return javaTask(id, method, a0, b1, c2, d3, e4, f5, g6, h7, i8);
    }

    public <A, B, C, D, E, F, G, H, I, J> TaskGraph task(String id, Tasks.T10<A, B, C, D, E, F, G, H, I, J> method, A a0, B b1, C c2, D d3, E e4, F f5, G g6, H h7, I i8, J j9) {
        return javaTask(id, method, a0, b1, c2, d3, e4, f5, g6, h7, i8, j9);
    }

    public <A, B, C, D, E, F, G, H, I, J, K> TaskGraph task(String id, Tasks.T11<A, B, C, D, E, F, G, H, I, J, K> method, A a0, B b1, C c2, D d3, E e4, F f5, G g6, H h7, I i8, J j9, K k10) {
        return javaTask(id, method, a0, b1, c2, d3, e4, f5, g6, h7, i8, j9, k10);
    }

    public <A, B, C, D, E, F, G, H, I, J, K, L> TaskGraph task(String id, Tasks.T12<A, B, C, D, E, F, G, H, I, J, K, L> method, A a0, B b1, C c2, D d3, E e4, F f5, G g6, H h7, I i8, J j9, K k10, L l11) {
        return javaTask(id, method, a0, b1, c2, d3, e4, f5, g6, h7, i8, j9, k10, l11);
    }

    public <A, B, C, D, E, F, G, H, I, J, K, L, M> TaskGraph task(String id, Tasks.T13<A, B, C, D, E, F, G, H, I, J, K, L, M> method, A a0, B b1, C c2, D d3, E e4, F f5, G g6, H h7, I i8, J j9, K k10, L l11, M m12) {
        return javaTask(id, method, a0, b1, c2, d3, e4, f5, g6, h7, i8, j9, k10, l11, m12);
    }

    public <A, B, C, D, E, F, G, H, I, J, K, L, M, N> TaskGraph task(String id, Tasks.T14<A, B, C, D, E, F, G, H, I, J, K, L, M, N> method, A a0, B b1, C c2, D d3, E e4, F f5, G g6, H h7, I i8, J j9, K k10, L l11, M m12, N n13) {
        return javaTask(id, method, a0, b1, c2, d3, e4, f5, g6, h7, i8, j9, k10, l11, m12, n13);
    }

    public <A, B, C, D, E, F, G, H, I, J, K, L, M, N, O> TaskGraph task(String id, Tasks.T15<A, B, C, D, E, F, G, H, I, J, K, L, M, N, O> method, A a0, B b1, C c2, D d3, E e4, F f5, G g6, H h7, I i8, J j9, K k10, L l11, M m12, N n13, O o14) {
        return javaTask(id, method, a0, b1, c2, d3, e4, f5, g6, h7, i8, j9, k10, l11, m12, n13, o14);
    }

    public <A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P> TaskGraph task(String id, Tasks.T16<A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P> method, A a0, B b1, C c2, D d3, E e4, F f5, G g6, H h7, I i8, J j9, K k10, L l11, M m12, N n13, O o14, P p15) {
        return javaTask(id, method, a0, b1, c2, d3, e4, f5, g6, h7, i8, j9, k10, l11, m12, n13, o14, p15);
    }

    private TaskGraph javaTask(String id, Tasks.TaskMethod method, Object... args) {
        JavaKernel kernel;
        try {
            kernel = JavaKernel.of(MethodRefs.method(method));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("graph " + name + ", task " + id + ": " + e.getMessage(), e);
        }
        return task(id, kernel, args);
    }

    /**
     * Adds a task whose kernel is hand-written C (TornadoVM's prebuilt task): the descriptor
     * names the source file and declares the parameters the arguments are checked against.
     */
    public TaskGraph prebuiltTask(String id, Kernel kernel, Object... args) {
        return task(id, kernel, args);
    }

    /** Adds a task; its arguments are checked now against the kernel's declared parameters. */
    public TaskGraph task(String id, Kernel kernel, Object... args) {
        if (tasks.containsKey(id)) {
            throw new IllegalArgumentException("graph " + name + " already has a task '" + id + "'");
        }
        Args a = Args.of(args);
        ArgumentChecker.check(name, id, kernel, a);
        tasks.put(id, new Task(id, kernel, a));
        return this;
    }

    /** Keeps these arrays' device buffers after execution, for another graph of the same plan. */
    public TaskGraph persistOnDevice(DeviceArray... arrays) {
        persisted.addAll(List.of(arrays));
        return this;
    }

    /** Uses the device buffers that graph {@code producer} of the same plan persisted; no host copy. */
    public TaskGraph consumeFromDevice(String producer, DeviceArray... arrays) {
        for (DeviceArray a : arrays) {
            consumed.put(a, producer);
        }
        return this;
    }

    public ImmutableTaskGraph snapshot() {
        if (tasks.isEmpty()) {
            throw new IllegalStateException("graph " + name + " has no tasks");
        }
        return new ImmutableTaskGraph(name, transfers, List.copyOf(tasks.values()), persisted, consumed);
    }
}
