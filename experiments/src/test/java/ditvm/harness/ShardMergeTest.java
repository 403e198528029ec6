package ditvm.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Merging the shards of a sweep: any order, a missing shard, duplicate and torn lines, several machines. */
class ShardMergeTest {
    static final List<String> VARIANTS = List.of("adaln-zero", "adaln", "in-context", "cross-attention");

    static Row row(String variant, int batch, String device, double medianMs, String host) {
        return new Row(variant, "DiT-S/2", 256, batch, device, "fp32", 33_000_000L, 6.06, 3_000_000_000L,
                medianMs, medianMs * 0.9, medianMs * 1.1, medianMs * 0.8, batch / (medianMs / 1e3), 100.0, 50.0,
                0.5, 0.1, 1, List.of(medianMs), List.of(medianMs * 0.8), host, "Device " + device, "driver 1.0");
    }

    static String key(String variant, int batch, String device) {
        return Row.key("DiT-S/2", 256, variant, batch, device, "fp32");
    }

    /** 8 items (4 variants x batches 1, 2 on `default`) over 3 shards, round robin. */
    static ShardFiles.Plan plan(String id) {
        List<ShardFiles.Planned> items = new ArrayList<>();
        int i = 0;
        for (int batch : List.of(1, 2)) {
            for (String v : VARIANTS) {
                items.add(new ShardFiles.Planned(key(v, batch, "default"), "DiT-S/2 " + v + " batch " + batch + " on default",
                        i++ % 3, 6.06 * batch));
            }
        }
        return new ShardFiles.Plan(id, "bin/ditvm sweep --devices default --shard K/3", 3, items);
    }

    /** Writes the rows of the plan's items of {@code shard}, measured on {@code host}'s {@code device}, in reverse order. */
    static void measure(ShardFiles files, ShardFiles.Plan plan, int shard, String host, String device) {
        List<ShardFiles.Planned> mine = new ArrayList<>(plan.items().stream().filter(p -> p.shard() == shard).toList());
        java.util.Collections.reverse(mine);
        for (ShardFiles.Planned p : mine) {
            String[] k = p.key().split("\\|");
            files.append(shard, p.key(), row(k[2], Integer.parseInt(k[3]), device, 10 + p.cost(), host));
        }
        files.writeEnv(shard, Map.of("host", host, "cpu", "CPU of " + host, "git_commit", "abc"),
                List.of(new Calibration.Result(device, 1, 2, 3, 100, 1)));
    }

    @Test
    void shardsInAnyOrderMergeInPlanOrder(@TempDir Path dir) {
        ShardFiles.Plan plan = plan("p1");
        ShardFiles files = ShardFiles.of(dir, plan.id());
        files.writePlanIfAbsent(plan);
        measure(files, plan, 2, "node2", "cuda:0");
        measure(files, plan, 0, "node0", "cuda:0");
        measure(files, plan, 1, "node1", "opencl:0:0");
        RunResults merged = ShardMerge.merge(dir);
        assertThat(merged.missing()).isEmpty();
        assertThat(merged.rows()).extracting(r -> r.variant() + "/" + r.batch())
                .containsExactly("adaln-zero/1", "adaln/1", "in-context/1", "cross-attention/1",
                        "adaln-zero/2", "adaln/2", "in-context/2", "cross-attention/2");
        assertThat(merged.rows()).extracting(Row::host).containsExactly("node0", "node1", "node2", "node0", "node1", "node2",
                "node0", "node1");
        assertThat(merged.calibration()).extracting(Calibration.Result::device)
                .containsExactly("cuda:0 on node0 (shard 0/3)", "opencl:0:0 on node1 (shard 1/3)", "cuda:0 on node2 (shard 2/3)");
        String md = Report.markdown(merged);
        assertThat(md).contains("merged from 3 shard run(s)").contains("shard 1/3 of plan p1 on node1: CPU of node1")
                .contains("## Devices side by side: images/s").contains("| cuda:0 on node0 | opencl:0:0 on node1 | cuda:0 on node2 |")
                .contains("## DiT-S/2, 256x256, batch 1, opencl:0:0 on node1").doesNotContain("Missing rows");
        assertThat(Report.csv(merged)).contains(",node1,Device opencl:0:0,driver 1.0,,,,,,,,\n"); // no peers, no sampling: their columns empty
        // the same files merge to the same results whatever order they were written in
        assertThat(ShardMerge.merge(dir)).isEqualTo(merged);
    }

    @Test
    void aMissingShardIsListedByName(@TempDir Path dir) throws Exception {
        ShardFiles.Plan plan = plan("p1");
        ShardFiles files = ShardFiles.of(dir, plan.id());
        files.writePlanIfAbsent(plan);
        measure(files, plan, 0, "node0", "java");
        measure(files, plan, 2, "node0", "java");
        RunResults merged = ShardMerge.merge(dir);
        assertThat(merged.rows()).hasSize(5);
        assertThat(merged.missing()).containsExactly("DiT-S/2 adaln batch 1 on default (shard 1/3)",
                "DiT-S/2 adaln-zero batch 2 on default (shard 1/3)", "DiT-S/2 cross-attention batch 2 on default (shard 1/3)");
        assertThat(Report.markdown(merged)).contains("## Missing rows (3)").contains("- DiT-S/2 adaln batch 1 on default (shard 1/3)\n");
        // the results.json round trip keeps the missing rows, so `report DIR` rebuilds the same markdown
        Path json = dir.resolve("results.json");
        Files.writeString(json, merged.toJson());
        assertThat(Report.markdown(RunResults.read(json))).isEqualTo(Report.markdown(merged));
    }

    @Test
    void aDuplicateRowCountsOnceTheLastKeptAndTornOrStrayLinesAreIgnored(@TempDir Path dir) throws Exception {
        ShardFiles.Plan plan = plan("p1");
        ShardFiles files = ShardFiles.of(dir, plan.id());
        files.writePlanIfAbsent(plan);
        for (int k = 0; k < 3; k++) {
            measure(files, plan, k, "node0", "java");
        }
        String first = plan.items().getFirst().key(); // shard 0
        files.append(0, first, row("adaln-zero", 1, "java", 99.0, "node0")); // measured again: the later row wins
        files.append(1, first, row("adaln-zero", 1, "java", 77.0, "node9")); // in another shard's file: not its shard, ignored
        Files.writeString(files.rowsFile(2), "{\"item\":\"DiT-S/2|256|adal", StandardOpenOption.APPEND); // killed mid-write
        RunResults merged = ShardMerge.merge(dir);
        assertThat(merged.rows()).hasSize(8);
        assertThat(merged.missing()).isEmpty();
        assertThat(merged.rows().getFirst().medianMs()).isEqualTo(99.0);
        assertThat(merged.rows()).extracting(Row::host).containsOnly("node0");
    }

    @Test
    void twoSweepsInOneFolderMergeSideBySide(@TempDir Path dir) {
        ShardFiles.Plan gpu = plan("aaa");
        ShardFiles.Plan cpu = plan("bbb");
        ShardFiles g = ShardFiles.of(dir, gpu.id());
        ShardFiles c = ShardFiles.of(dir, cpu.id());
        g.writePlanIfAbsent(gpu);
        c.writePlanIfAbsent(cpu);
        for (int k = 0; k < 3; k++) {
            measure(g, gpu, k, "gpu1", "cuda:0");
            measure(c, cpu, k, "cpu1", "opencl:0:0");
        }
        RunResults merged = ShardMerge.merge(dir);
        assertThat(merged.rows()).hasSize(16);
        assertThat(Report.devices(merged.rows())).containsExactly("cuda:0 on gpu1", "opencl:0:0 on cpu1");
        assertThat(Report.markdown(merged)).contains("| DiT-S/2 | 256 | 1 | adaln-zero | ");
    }

    @Test
    void noShardsNoMerge(@TempDir Path dir) {
        assertThat(ShardMerge.isSharded(dir)).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ShardMerge.merge(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plan.json");
    }
}
