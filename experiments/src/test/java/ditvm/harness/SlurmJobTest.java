package ditvm.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Slurm job script and submission, without a cluster (a fake sbatch); the real one is scripts/test-slurm-sweep.sh. */
class SlurmJobTest {

    @Test
    void theScriptRunsShardKOfNIntoTheRunFolder() {
        String s = SlurmJob.script(new SlurmJob.Request(4, "gpu", 1, "2:00:00"), Path.of("/shared/results/camp"),
                Path.of("/shared/ditvm"), Path.of("/shared/ditvm/bin/ditvm"), List.of("--models", "DiT-XL/2", "--batches", "1,8",
                        "--cfg", "it's"));
        assertThat(s).startsWith("#!/usr/bin/env bash\n")
                .contains("#   sbatch --array=0-3 THIS_FILE\n")
                .contains("#SBATCH --output=/shared/results/camp/slurm/%A_%a.out\n")
                .contains("#SBATCH --error=/shared/results/camp/slurm/%A_%a.err\n")
                .contains("#SBATCH --chdir=/shared/ditvm\n")
                .contains("#SBATCH --partition=gpu\n").contains("#SBATCH --gpus-per-task=1\n").contains("#SBATCH --time=2:00:00\n")
                .contains("export DITVM_DEVICE=cuda:0")
                .contains("exec /shared/ditvm/bin/ditvm sweep --models DiT-XL/2 --batches 1,8 --cfg 'it'\\''s' --shard \"${SLURM_ARRAY_TASK_ID}/4\""
                        + " --out /shared/results/camp\n");
        String plain = SlurmJob.script(new SlurmJob.Request(2, null, null, null), Path.of("/r"), Path.of("/w"), Path.of("/w/bin/ditvm"),
                List.of());
        assertThat(plain).doesNotContain("--partition").doesNotContain("--gpus-per-task").doesNotContain("--time");
        assertThat(SlurmJob.sbatchCommand("sbatch", new SlurmJob.Request(3, null, null, null), Path.of("/r/job.sh")))
                .containsExactly("sbatch", "--parsable", "--array=0-2", "/r/job.sh");
    }

    @Test
    void theShardsRunTheSweepWithoutTheSlurmOptions() {
        List<String> args = List.of("--models", "DiT-S/2", "--slurm", "--shards", "3", "--partition=cpu", "--wait", "--out", "x",
                "--json", "--time", "5:00", "--gpus-per-task", "1", "--dry-run", "--batches", "1");
        assertThat(SlurmJob.without(args, List.of("--slurm", "--wait", "--dry-run", "--json"),
                List.of("--shard", "--shards", "--partition", "--gpus-per-task", "--time", "--out")))
                .containsExactly("--models", "DiT-S/2", "--batches", "1");
    }

    @Test
    void submitReadsTheJobId(@TempDir Path tmp) throws Exception {
        Path sbatch = fake(tmp, "sbatch", "echo \"$@\" > " + tmp.resolve("args") + "; echo '4242;cluster'");
        assertThat(SlurmJob.submit(sbatch.toString(), new SlurmJob.Request(3, null, null, null), tmp.resolve("job.sh")))
                .isEqualTo("4242");
        assertThat(Files.readString(tmp.resolve("args")).strip()).isEqualTo("--parsable --array=0-2 " + tmp.resolve("job.sh"));
    }

    @Test
    void aMissingOrRefusingSbatchIsOneClearLine(@TempDir Path tmp) throws Exception {
        var r = new SlurmJob.Request(3, null, null, null);
        assertThatThrownBy(() -> SlurmJob.submit(tmp.resolve("no-sbatch").toString(), r, tmp.resolve("job.sh")))
                .isInstanceOf(SlurmJob.SlurmException.class).hasMessageStartingWith("sbatch not found on PATH: ")
                .hasMessageNotContaining("\n");
        Path refusing = fake(tmp, "sbatch-refuses",
                "echo 'sbatch: error: Batch job submission failed: Invalid partition name specified' >&2; echo second >&2; exit 1");
        assertThatThrownBy(() -> SlurmJob.submit(refusing.toString(), r, tmp.resolve("job.sh")))
                .isInstanceOf(SlurmJob.SlurmException.class)
                .hasMessage("sbatch refused the job: sbatch: error: Batch job submission failed: Invalid partition name specified");
        Path garbled = fake(tmp, "sbatch-garbled", "echo hello");
        assertThatThrownBy(() -> SlurmJob.submit(garbled.toString(), r, tmp.resolve("job.sh")))
                .hasMessageContaining("no job id").hasMessageContaining("hello");
    }

    @Test
    void activeTasksCountsSqueueLines(@TempDir Path tmp) throws Exception {
        assertThat(SlurmJob.activeTasks(fake(tmp, "squeue2", "printf '7_0 R\\n7_1 PD\\n'").toString(), "7")).isEqualTo(2);
        assertThat(SlurmJob.activeTasks(fake(tmp, "squeue0", "true").toString(), "7")).isZero();
        assertThat(SlurmJob.activeTasks(fake(tmp, "squeueGone",
                "echo 'slurm_load_jobs error: Invalid job id specified' >&2; exit 1").toString(), "7")).isZero();
        assertThatThrownBy(() -> SlurmJob.activeTasks(fake(tmp, "squeueDown",
                "echo 'slurm_load_jobs error: Unable to contact slurm controller' >&2; exit 1").toString(), "7"))
                .hasMessage("squeue failed for job 7: slurm_load_jobs error: Unable to contact slurm controller");
    }

    static Path fake(Path dir, String name, String body) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, "#!/bin/sh\n" + body + "\n");
        assertThat(f.toFile().setExecutable(true)).isTrue();
        return f;
    }
}
