package ditvm.graph;

import ditvm.kernel.Cost;
import ditvm.memory.DeviceArray;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A frozen task graph. */
public record ImmutableTaskGraph(String name, List<Transfer> transfers, List<Task> tasks,
                                 Set<DeviceArray> persisted, Map<DeviceArray, String> consumed) {

    public ImmutableTaskGraph {
        transfers = List.copyOf(transfers);
        tasks = List.copyOf(tasks);
        persisted = Collections.unmodifiableSet(new LinkedHashSet<>(persisted));
        consumed = Collections.unmodifiableMap(new LinkedHashMap<>(consumed));
    }

    /** Every array the graph touches: transferred, task arguments, persisted or consumed (identity). */
    public Set<DeviceArray> arrays() {
        Set<DeviceArray> all = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Transfer t : transfers) {
            all.addAll(t.arrays());
        }
        for (Task t : tasks) {
            for (Object v : t.args().values()) {
                if (v instanceof DeviceArray a) {
                    all.add(a);
                }
            }
        }
        all.addAll(persisted);
        all.addAll(consumed.keySet());
        return all;
    }

    /** Sum of the tasks' cost models. */
    public Cost cost() {
        Cost c = Cost.ZERO;
        for (Task t : tasks) {
            c = c.plus(t.kernel().cost(t.args()));
        }
        return c;
    }

    public Task task(String id) {
        return tasks.stream().filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("graph " + name + " has no task '" + id + "'; it has "
                        + tasks.stream().map(Task::id).toList()));
    }
}
