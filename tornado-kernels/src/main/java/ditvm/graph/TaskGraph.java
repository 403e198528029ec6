package ditvm.graph;

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
