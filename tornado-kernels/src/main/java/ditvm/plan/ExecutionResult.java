package ditvm.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import ditvm.memory.DeviceArray;
import java.util.List;
import java.util.Locale;

/** What one {@link ExecutionPlan#execute()} did: a profile per graph executed. */
public final class ExecutionResult {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ExecutionPlan plan;
    private final String device;
    private final List<GraphProfile> graphs;

    ExecutionResult(ExecutionPlan plan, String device, List<GraphProfile> graphs) {
        this.plan = plan;
        this.device = device;
        this.graphs = List.copyOf(graphs);
    }

    public List<GraphProfile> profile() {
        return graphs;
    }

    public GraphProfile profile(String graph) {
        return graphs.stream().filter(g -> g.graph().equals(graph)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no graph '" + graph + "' in this result"));
    }

    public String device() {
        return device;
    }

    /** Sum over graphs of the total wall time, ns. */
    public long totalNanos() {
        return graphs.stream().mapToLong(GraphProfile::totalNanos).sum();
    }

    public long kernelNanos() {
        return graphs.stream().mapToLong(GraphProfile::kernelNanos).sum();
    }

    public long compileNanos() {
        return graphs.stream().mapToLong(GraphProfile::compileNanos).sum();
    }

    /** Bytecode-to-C time of the Java kernels this plan compiled for the first time. */
    public long translateNanos() {
        return graphs.stream().mapToLong(GraphProfile::translateNanos).sum();
    }

    /** Copies arrays declared {@code transferToHost(UNDER_DEMAND, ...)} back now. */
    public ExecutionResult transferToHost(DeviceArray... arrays) {
        plan.transferUnderDemand(arrays);
        return this;
    }

    /** The profile as JSON: {"device", "graphs":[{graph, tasks[], compileNanos, copyIn..., totalNanos}]}. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(new Json(device, graphs));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Json(String device, List<GraphProfile> graphs) {
    }

    /** A human table of the profile. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (GraphProfile g : graphs) {
            sb.append(String.format(Locale.ROOT, "graph %s on %s: total %.3f ms, kernels %.3f ms, compile %.3f ms "
                            + "(+ bytecode to C %.3f ms), in %d B (%.3f ms), out %d B (%.3f ms)%n", g.graph(), device, g.totalNanos() / 1e6,
                    g.kernelNanos() / 1e6, g.compileNanos() / 1e6, g.translateNanos() / 1e6, g.copyInBytes(), g.copyInNanos() / 1e6,
                    g.copyOutBytes(), g.copyOutNanos() / 1e6));
            for (TaskProfile t : g.tasks()) {
                sb.append(String.format(Locale.ROOT, "  %-24s %-28s %10.3f ms  %s%n", t.task(), t.kernel(),
                        t.kernelNanos() / 1e6, t.launch()));
            }
        }
        return sb.toString();
    }
}
