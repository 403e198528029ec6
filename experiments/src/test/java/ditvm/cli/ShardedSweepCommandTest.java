package ditvm.cli;

import static ditvm.cli.HarnessCommandsTest.TINY;
import static ditvm.cli.HarnessCommandsTest.concat;
import static ditvm.cli.HarnessCommandsTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import ditvm.harness.Row;
import ditvm.harness.RunResults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sweep --shard K/N end to end on the java device: shards share a folder, resume alone, merge in report. */
class ShardedSweepCommandTest {

    static String[] sweep(Path dir, String shard) {
        return concat(concat(new String[] {"sweep"}, TINY), "--variants", "adaln-zero,adaln,in-context", "--batches", "1",
                "--devices", "java", "--out", dir.toString(), "--shard", shard);
    }

    static Path rowsFile(Path dir, int shard) throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("shards"))) {
            return s.findFirst().orElseThrow().resolve("rows-" + shard + ".jsonl");
        }
    }

    @Test
    void shardsShareAFolderResumeAloneAndMerge(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        // by cost: in-context (the costliest) alone in shard 0, adaln-zero and adaln in shard 1
        HarnessCommandsTest.Run zero = run(sweep(dir, "0/2"));
        assertThat(zero.exit()).as(zero.err()).isZero();
        RunResults partial = RunResults.read(dir.resolve("results.json"));
        assertThat(partial.rows()).extracting(Row::variant).containsExactly("in-context");
        assertThat(partial.missing()).containsExactly("custom adaln-zero batch 1 on java (shard 1/2)",
                "custom adaln batch 1 on java (shard 1/2)");
        assertThat(Files.readString(dir.resolve("report.md"))).contains("## Missing rows (2)");

        // shard 1 is killed after its first row: one whole row and a torn line
        HarnessCommandsTest.Run one = run(sweep(dir, "1/2"));
        assertThat(one.exit()).as(one.err()).isZero();
        List<String> lines = Files.readAllLines(rowsFile(dir, 1));
        assertThat(lines).hasSize(2);
        Files.writeString(rowsFile(dir, 1), lines.getFirst() + "\n" + lines.get(1).substring(0, 40));

        HarnessCommandsTest.Run resumed = run(sweep(dir, "1/2"));
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("shard 1/2 of " + dir.toAbsolutePath() + ": 2 of 3 items (1 finished earlier)")
                .contains("done in an earlier run, skipped");
        assertThat(Files.readAllLines(rowsFile(dir, 1)).getFirst()).as("the finished row is kept as it was").isEqualTo(lines.getFirst());
        RunResults merged = RunResults.read(dir.resolve("results.json"));
        assertThat(merged.missing()).isEmpty();
        assertThat(merged.rows()).extracting(Row::variant).containsExactly("adaln-zero", "adaln", "in-context");
        assertThat(merged.rows()).allSatisfy(r -> {
            assertThat(r.host()).isNotBlank();
            assertThat(r.deviceName()).isNotBlank();
            assertThat(r.driver()).isNotBlank();
        });
        assertThat(merged.command()).contains("--shard K/2").doesNotContain("--shard 0/2");

        // report DIR rebuilds the same merge, byte for byte
        byte[] md = Files.readAllBytes(dir.resolve("report.md"));
        Files.delete(dir.resolve("report.md"));
        Files.delete(dir.resolve("results.json"));
        HarnessCommandsTest.Run report = run("report", dir.toString());
        assertThat(report.exit()).as(report.err()).isZero();
        assertThat(report.out()).startsWith("merged 3 rows; rebuilt");
        assertThat(Files.readAllBytes(dir.resolve("report.md"))).isEqualTo(md);
    }

    @Test
    void badShardingFlagsGiveOneLineAndExitCode2() {
        List<String[]> bad = List.of(
                new String[] {"sweep", "--shard", "3/3"},
                new String[] {"sweep", "--shard", "x"},
                new String[] {"sweep", "--shards", "2"},
                new String[] {"sweep", "--wait"},
                new String[] {"sweep", "--slurm"},
                new String[] {"sweep", "--slurm", "--shards", "0"},
                new String[] {"sweep", "--slurm", "--shards", "2", "--shard", "0/2"},
                new String[] {"sweep", "--slurm", "--shards", "2", "--gpus-per-task", "-1"});
        for (String[] args : bad) {
            HarnessCommandsTest.Run r = run(args);
            assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip().lines().count()).as(String.join(" ", args) + ": one line, got: " + r.err()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
        }
    }
}
