package ditvm.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A sharded sweep as a Slurm job array: the job script (array task K runs {@code bin/ditvm sweep
 * ... --shard K/N} into the shared run folder, its stdout and stderr in {@code DIR/slurm/}),
 * its submission with {@code sbatch --array=0-(N-1)}, and how many of its tasks are still queued
 * or running ({@code squeue}). Slurm's own commands only: no daemon of ours, no accounting
 * database needed.
 */
public final class SlurmJob {

    /** What to ask Slurm for: N array tasks, each one task with G GPUs on partition P for time T (null: Slurm's default). */
    public record Request(int shards, String partition, Integer gpusPerTask, String time) {
        public Request {
            if (shards < 1) {
                throw new IllegalArgumentException("--shards must be >= 1, found " + shards);
            }
            if (gpusPerTask != null && gpusPerTask < 0) {
                throw new IllegalArgumentException("--gpus-per-task must be >= 0, found " + gpusPerTask);
            }
        }

        public String array() {
            return "--array=0-" + (shards - 1);
        }
    }

    /** sbatch or squeue missing, refusing, or failing: the message says which and shows Slurm's own words. */
    public static final class SlurmException extends RuntimeException {
        SlurmException(String message) {
            super(message);
        }
    }

    private SlurmJob() {
    }

    /**
     * The job script. {@code default} among the sweep's devices becomes, in each task, the GPU that
     * Slurm allocated to it (CUDA numbers the visible devices from 0, so {@code cuda:0}); without
     * one, {@code $DITVM_DEVICE} as exported at submission (an OpenCL device, say), else ditvm's
     * default device.
     */
    public static String script(Request r, Path runDir, Path workDir, Path launcher, List<String> sweepArgs) {
        Path logs = runDir.toAbsolutePath().resolve("slurm");
        StringBuilder sb = new StringBuilder("#!/usr/bin/env bash\n");
        sb.append("# ditvm sweep as a Slurm job array, written by `ditvm sweep --slurm`; submitted as\n");
        sb.append("#   sbatch ").append(r.array()).append(" THIS_FILE\n");
        sb.append("# array task K runs shard K of ").append(r.shards()).append(" into the shared run folder.\n");
        sb.append("#SBATCH --job-name=ditvm-sweep\n");
        sb.append("#SBATCH --ntasks=1\n");
        sb.append("#SBATCH --chdir=").append(workDir.toAbsolutePath()).append('\n');
        sb.append("#SBATCH --output=").append(logs).append("/%A_%a.out\n");
        sb.append("#SBATCH --error=").append(logs).append("/%A_%a.err\n");
        if (r.partition() != null) {
            sb.append("#SBATCH --partition=").append(r.partition()).append('\n');
        }
        if (r.gpusPerTask() != null) {
            sb.append("#SBATCH --gpus-per-task=").append(r.gpusPerTask()).append('\n');
        }
        if (r.time() != null) {
            sb.append("#SBATCH --time=").append(r.time()).append('\n');
        }
        sb.append("set -euo pipefail\n");
        sb.append("# the device of `default`: the GPU Slurm allocated, else $DITVM_DEVICE as exported, else ditvm's default\n");
        sb.append("if [ -n \"${CUDA_VISIBLE_DEVICES:-}\" ] && [ \"${CUDA_VISIBLE_DEVICES}\" != NoDevFiles ]; then export DITVM_DEVICE=cuda:0; fi\n");
        sb.append("echo \"ditvm: shard ${SLURM_ARRAY_TASK_ID}/").append(r.shards())
                .append(" of job ${SLURM_ARRAY_JOB_ID} on $(hostname), CUDA_VISIBLE_DEVICES=${CUDA_VISIBLE_DEVICES:-none},")
                .append(" DITVM_DEVICE=${DITVM_DEVICE:-default}\"\n");
        sb.append("exec ").append(quote(launcher.toAbsolutePath().toString())).append(" sweep");
        for (String a : sweepArgs) {
            sb.append(' ').append(quote(a));
        }
        sb.append(" --shard \"${SLURM_ARRAY_TASK_ID}/").append(r.shards()).append("\" --out ")
                .append(quote(runDir.toAbsolutePath().toString())).append('\n');
        return sb.toString();
    }

    /** The sbatch command line for {@code script}. */
    public static List<String> sbatchCommand(String sbatch, Request r, Path script) {
        return List.of(sbatch, "--parsable", r.array(), script.toAbsolutePath().toString());
    }

    /** Submits; returns the job id sbatch printed. */
    public static String submit(String sbatch, Request r, Path script) {
        Result res = exec(sbatchCommand(sbatch, r, script), "sbatch", "--slurm submits with Slurm's sbatch (run it on a login node of the cluster)");
        if (res.exit() != 0) {
            throw new SlurmException("sbatch refused the job: " + firstLine(res.err().isBlank() ? res.out() : res.err()));
        }
        String id = res.out().strip().lines().reduce((a, b) -> b).orElse("");
        int semicolon = id.indexOf(';'); // --parsable prints "jobid" or "jobid;cluster"
        id = semicolon < 0 ? id : id.substring(0, semicolon);
        if (!id.matches("[0-9]+")) {
            throw new SlurmException("sbatch printed no job id: expected a number, found '" + firstLine(res.out()) + "'");
        }
        return id;
    }

    /** How many array tasks of {@code jobId} are still pending, running or completing (0 once Slurm forgot the job). */
    public static int activeTasks(String squeue, String jobId) {
        Result res = exec(List.of(squeue, "--noheader", "--array", "--jobs=" + jobId, "--format=%i %t"), "squeue",
                "--wait follows the job with Slurm's squeue");
        if (res.exit() != 0) {
            if (res.err().contains("Invalid job id")) {
                return 0;
            }
            throw new SlurmException("squeue failed for job " + jobId + ": " + firstLine(res.err().isBlank() ? res.out() : res.err()));
        }
        return (int) res.out().lines().filter(l -> !l.isBlank()).count();
    }

    record Result(int exit, String out, String err) {
    }

    private static Result exec(List<String> cmd, String tool, String hint) {
        try {
            Process p = new ProcessBuilder(cmd).start();
            p.getOutputStream().close();
            var err = p.getErrorStream();
            var errText = new StringBuilder();
            Thread drain = Thread.ofVirtual().start(() -> {
                try {
                    errText.append(new String(err.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // the process went away: what was read is kept
                }
            });
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new SlurmException(tool + " did not answer within 120 s");
            }
            drain.join();
            return new Result(p.exitValue(), out, errText.toString());
        } catch (IOException e) {
            throw new SlurmException(tool + " not found on PATH: " + hint);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlurmException("interrupted while waiting for " + tool);
        }
    }

    private static String firstLine(String s) {
        return s.strip().lines().findFirst().orElse("(no message)");
    }

    /** A word for bash: single-quoted unless it is plain. */
    static String quote(String s) {
        return s.matches("[A-Za-z0-9_./:=,+@%-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    /** {@code args} without the options named in {@code drop} (each with its value when it takes one). */
    public static List<String> without(List<String> args, List<String> flags, List<String> withValue) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (flags.contains(a)) {
                continue;
            }
            if (withValue.contains(name)) {
                if (!a.contains("=")) {
                    i++;
                }
                continue;
            }
            out.add(a);
        }
        return out;
    }
}
