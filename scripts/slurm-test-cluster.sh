#!/usr/bin/env bash
# Runs COMMAND inside a throwaway one-node Slurm cluster on this machine, then stops it:
#   scripts/slurm-test-cluster.sh COMMAND [ARGS...]
# munged, slurmctld and slurmd run from a private folder (config, state, spool, logs, the munge
# socket) on ports 16817/16818, so they touch no system Slurm or munge; COMMAND sees SLURM_CONF and
# Slurm's client commands talk to this cluster only. Everything is stopped and removed when COMMAND
# ends, fails or is interrupted. Installs Debian's slurm-wlm and munge when they are missing and it
# runs as root with apt-get; where that is impossible it prints "SKIPPED: <reason>" and exits 77.
# SLURM_TEST_CPUS=1 makes the node one CPU: array tasks then run one at a time (for measurements).
# Exit status: COMMAND's, 77 when skipped, 1 when the cluster did not come up.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }

skip() { echo "SKIPPED: $*" >&2; exit 77; }
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null \
    || ! command -v munged >/dev/null; then
  [ "$(id -u)" = 0 ] || skip "Slurm (slurm-wlm, munge) is not installed and installing it needs root"
  command -v apt-get >/dev/null || skip "Slurm (slurm-wlm, munge) is not installed and there is no apt-get to install it"
  echo "slurm-test-cluster: installing slurm-wlm munge" >&2
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends slurm-wlm munge; } >/dev/null \
    || skip "apt-get install slurm-wlm munge failed"
fi
# The daemons run as root here (SlurmUser=root): the only way without creating system users.
[ "$(id -u)" = 0 ] || skip "a one-node test cluster needs root to run slurmd"

dir=$(mktemp -d /tmp/ditvm-slurm.XXXXXX)
chmod 711 "$dir"   # munged wants its socket folder reachable by all
mkdir -p "$dir/munge" "$dir/state" "$dir/spool"
chmod 711 "$dir/munge"
pids=()
stop() {
  set +e
  if [ -f "$dir/slurm.conf" ] && [ -f "$dir/slurmctld.pid" ]; then
    scancel --quiet --user="$(id -un)" >/dev/null 2>&1   # jobs of this private cluster only
    for _ in $(seq 1 30); do [ -z "$(squeue --noheader 2>/dev/null)" ] && break; sleep 1; done
  fi
  for f in slurmd slurmctld munge/munged; do
    [ -f "$dir/$f.pid" ] && pids+=("$(cat "$dir/$f.pid")")
  done
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for _ in $(seq 1 20); do
    alive=0; for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break; sleep 0.5
  done
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  if [ "${KEEP_SLURM_LOGS:-}" != "" ]; then cp "$dir"/*.log "$KEEP_SLURM_LOGS"/ 2>/dev/null; fi
  rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM

host=$(hostname -s)
mem_mb=$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024 ))
cpus=${SLURM_TEST_CPUS:-2}   # CPUs of the node: how many array tasks run at once
[ "$(nproc)" -lt "$cpus" ] && cpus=$(nproc)
dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$dir/munge/munge.key"
cat > "$dir/slurm.conf" <<CONF
# one-node test cluster written by scripts/slurm-test-cluster.sh
ClusterName=ditvmtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$dir/slurm.conf

munged --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" --pid-file="$dir/munge/munged.pid" \
  --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed" \
  || { cat "$dir/munge/munged.log" >&2 2>/dev/null; echo "slurm-test-cluster: munged did not start" >&2; exit 1; }
slurmctld -f "$SLURM_CONF" -i || { cat "$dir/slurmctld.log" >&2; echo "slurm-test-cluster: slurmctld did not start" >&2; exit 1; }
slurmd -f "$SLURM_CONF" -N "$host" || { cat "$dir/slurmd.log" >&2; echo "slurm-test-cluster: slurmd did not start" >&2; exit 1; }
up=0
for _ in $(seq 1 60); do
  state=$(sinfo --noheader --format=%T 2>/dev/null || true)
  case "$state" in idle*|mixed*|allocated*) up=1; break ;; esac
  sleep 0.5
done
if [ $up = 0 ]; then
  tail -n 20 "$dir/slurmctld.log" "$dir/slurmd.log" >&2
  echo "slurm-test-cluster: node $host did not become idle (state: ${state:-none})" >&2
  exit 1
fi
echo "slurm-test-cluster: node $host up ($cpus CPUs, $mem_mb MB), SLURM_CONF=$SLURM_CONF" >&2
set +e
"$@"
rc=$?
exit $rc
