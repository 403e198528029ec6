#!/usr/bin/env bash
# ditvm sweep as a Slurm job array, written by `ditvm sweep --slurm`; submitted as
#   sbatch --array=0-2 THIS_FILE
# array task K runs shard K of 3 into the shared run folder.
#SBATCH --job-name=ditvm-sweep
#SBATCH --ntasks=1
#SBATCH --chdir=/work/wt15
#SBATCH --output=/work/wt15/results/sweep-slurm-pocl-java/slurm/%A_%a.out
#SBATCH --error=/work/wt15/results/sweep-slurm-pocl-java/slurm/%A_%a.err
set -euo pipefail
# the device of `default`: the GPU Slurm allocated, else $DITVM_DEVICE as exported, else ditvm's default
if [ -n "${CUDA_VISIBLE_DEVICES:-}" ] && [ "${CUDA_VISIBLE_DEVICES}" != NoDevFiles ]; then export DITVM_DEVICE=cuda:0; fi
echo "ditvm: shard ${SLURM_ARRAY_TASK_ID}/3 of job ${SLURM_ARRAY_JOB_ID} on $(hostname), CUDA_VISIBLE_DEVICES=${CUDA_VISIBLE_DEVICES:-none}, DITVM_DEVICE=${DITVM_DEVICE:-default}"
exec /work/wt15/bin/ditvm sweep --models DiT-S/8,DiT-S/4 --variants all --batches 1,4 --devices java,opencl:0:0 --warmup 1 --iterations 3 --shard "${SLURM_ARRAY_TASK_ID}/3" --out /work/wt15/results/sweep-slurm-pocl-java
