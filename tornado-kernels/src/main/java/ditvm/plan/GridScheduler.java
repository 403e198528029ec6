package ditvm.plan;

import ditvm.kernel.Launch;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Per-task work sizes that replace a kernel's own launch geometry (TornadoVM's GridScheduler
 * role). Tasks are named by graph and task id; the plan checks both exist when it is given.
 */
public final class GridScheduler {
    private final Map<TaskRef, Launch> launches = new LinkedHashMap<>();

    public record TaskRef(String graph, String task) {
    }

    public GridScheduler set(String graph, String task, Launch launch) {
        launches.put(new TaskRef(graph, task), launch);
        return this;
    }

    Optional<Launch> launchFor(String graph, String task) {
        return Optional.ofNullable(launches.get(new TaskRef(graph, task)));
    }

    Map<TaskRef, Launch> entries() {
        return Map.copyOf(launches);
    }
}
