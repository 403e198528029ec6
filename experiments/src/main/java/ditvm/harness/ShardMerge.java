package ditvm.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One run's results from every shard written into a run folder (any number of sharded sweeps,
 * each with its plan): rows in plan order whatever order the shards finished in, each item's row
 * taken from its own shard's file only (so a row cannot count twice), the items no shard has
 * measured listed by name, and the machine of each shard. A pure function of the files: the same
 * folder always merges to the same {@link RunResults}.
 */
public final class ShardMerge {

    private ShardMerge() {
    }

    /** Whether {@code dir} holds a sharded sweep. */
    public static boolean isSharded(Path dir) {
        return !ShardFiles.all(dir).isEmpty();
    }

    public static RunResults merge(Path dir) {
        List<ShardFiles> sweeps = ShardFiles.all(dir);
        if (sweeps.isEmpty()) {
            throw new IllegalArgumentException(dir + ": expected a sharded sweep (" + ShardFiles.SHARDS + "/*/plan.json), found none");
        }
        List<Row> rows = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<Map<String, Object>> machines = new ArrayList<>();
        List<Calibration.Result> calibration = new ArrayList<>();
        Set<String> commands = new LinkedHashSet<>();
        for (ShardFiles files : sweeps) {
            ShardFiles.Plan plan = files.plan();
            commands.add(plan.command());
            List<Map<String, Row>> byShard = new ArrayList<>();
            for (int k = 0; k < plan.shards(); k++) {
                byShard.add(files.rows(k));
                int shard = k;
                files.env(k).ifPresent(env -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("plan", plan.id());
                    m.put("shard", shard + "/" + plan.shards());
                    m.putAll(env.environment());
                    machines.add(m);
                    Object host = env.environment().get("host");
                    for (Calibration.Result c : env.calibration()) {
                        calibration.add(new Calibration.Result(c.device() + (host == null ? "" : " on " + host) + " (shard "
                                + shard + "/" + plan.shards() + ")",
                                c.m(), c.n(), c.k(), c.gflopsPerSecond(), c.medianMs()));
                    }
                });
            }
            for (ShardFiles.Planned item : plan.items()) {
                Row row = byShard.get(item.shard()).get(item.key());
                if (row != null) {
                    rows.add(row);
                } else {
                    missing.add(item.label() + " (shard " + item.shard() + "/" + plan.shards() + ")");
                }
            }
        }
        Map<String, Object> environment = new LinkedHashMap<>();
        environment.put("shards", machines);
        return new RunResults(environment, String.join(" ; ", commands), calibration, rows, missing);
    }
}
