#!/usr/bin/env bash
# Integration test of `ditvm sweep --slurm` on a real Slurm (run by `make test` after the build):
# a one-node cluster started by scripts/slurm-test-cluster.sh, a tiny sweep (8 rows, the `java`
# device) submitted as 3 array tasks with --wait, the merged report checked, one shard lost and
# resumed, a refused submission; the daemons are stopped afterwards whatever happens. Skipped, with
# the reason, only where Slurm cannot be installed (not root, no apt-get).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ -z "${DITVM_IN_TEST_CLUSTER:-}" ]; then
  [ -x bin/ditvm ] && ls experiments/target/experiments-*.jar >/dev/null 2>&1 \
    || { echo "test-slurm-sweep: build first (make build)" >&2; exit 2; }
  set +e
  DITVM_IN_TEST_CLUSTER=1 scripts/slurm-test-cluster.sh "$0"
  rc=$?
  set -e
  if [ $rc = 77 ]; then echo "test-slurm-sweep: SKIPPED (the reason is above)"; exit 0; fi
  [ $rc = 0 ] && echo "test-slurm-sweep: PASSED" || echo "test-slurm-sweep: FAILED (exit $rc)" >&2
  exit $rc
fi

fail() { echo "test-slurm-sweep: FAILED: $*" >&2; exit 1; }
export DITVM_JAVA_OPTS=-Xmx1g
run=$root/target/slurm-it/run
rm -rf "$root/target/slurm-it"
mkdir -p "$root/target/slurm-it"
tiny=(--model custom --depth 2 --hidden 32 --heads 2 --patch 2 --input-size 8 --num-classes 10 --warmup 1 --iterations 2
      --variants all --batches 1,2 --devices java)

echo "== dry run"
bin/ditvm sweep "${tiny[@]}" --out "$run" --slurm --shards 3 --time 10:00 --dry-run > "$root/target/slurm-it/dry-run.txt"
grep -q -- '--shard "${SLURM_ARRAY_TASK_ID}/3"' "$root/target/slurm-it/dry-run.txt" || fail "the job script runs no shard"
grep -q -- '^# would submit: sbatch --parsable --array=0-2 ' "$root/target/slurm-it/dry-run.txt" || fail "no sbatch --array=0-2"
[ ! -e "$run" ] || fail "--dry-run wrote $run"

echo "== 3 array tasks, --wait"
start=$(date +%s)
bin/ditvm sweep "${tiny[@]}" --out "$run" --slurm --shards 3 --wait > "$root/target/slurm-it/wait.out" \
  2> "$root/target/slurm-it/wait.err" || { cat "$root/target/slurm-it/wait.err" >&2; tail -n 5 "$run"/slurm/*.err >&2; fail "sweep --slurm --wait"; }
echo "   took $(( $(date +%s) - start )) s"
grep -E '^job [0-9]+: shards done 3/3, rows done 8/8' "$root/target/slurm-it/wait.err" >/dev/null || fail "no final progress line"
[ "$(tail -n +2 "$run/results.csv" | wc -l)" = 8 ] || fail "results.csv has not 8 rows"
[ "$(ls "$run"/slurm/*.out | wc -l)" = 3 ] && [ "$(ls "$run"/slurm/*.err | wc -l)" = 3 ] || fail "expected 3 .out and 3 .err in $run/slurm"
ls "$run"/shards/*/rows-{0,1,2}.jsonl >/dev/null || fail "a shard wrote no rows file"
grep -q 'merged from 3 shard run(s)' "$run/report.md" || fail "report.md does not name the 3 shard runs"
! grep -q 'Missing rows' "$run/report.md" || fail "report.md lists missing rows"
grep -q "\"host\" : \"$(cat /proc/sys/kernel/hostname)\"" "$run/results.json" || fail "rows carry no host"
for f in throughput.png gflops-vs-time.png; do [ -s "$run/$f" ] || fail "no $f"; done

echo "== a lost shard is listed, then resumed alone"
rows1=$(ls "$run"/shards/*/rows-1.jsonl)
n1=$(wc -l < "$rows1")
rm "$rows1"
bin/ditvm report "$run" | grep -q "($n1 missing, listed in the report)" || fail "report DIR does not count $n1 missing rows"
grep -q '(shard 1/3)' "$run/report.md" || fail "report.md does not name the missing rows of shard 1/3"
bin/ditvm sweep "${tiny[@]}" --out "$run" --shard 1/3 > /dev/null 2> "$root/target/slurm-it/resume.err" \
  || { cat "$root/target/slurm-it/resume.err" >&2; fail "resuming shard 1/3"; }
! grep -q 'Missing rows' "$run/report.md" || fail "still missing rows after resuming shard 1/3"
[ "$(tail -n +2 "$run/results.csv" | wc -l)" = 8 ] || fail "results.csv has not 8 rows after the resume"

echo "== a refused submission: one line with sbatch's own message, exit 1"
set +e
bin/ditvm sweep "${tiny[@]}" --out "$root/target/slurm-it/refused" --slurm --shards 2 --partition no-such-partition \
  > /dev/null 2> "$root/target/slurm-it/refused.err"
rc=$?
set -e
[ $rc = 1 ] || fail "a refused job exits $rc, expected 1"
[ "$(wc -l < "$root/target/slurm-it/refused.err")" = 1 ] || fail "a refused job printed more than one line"
grep -q '^ditvm: sbatch refused the job: .*[Pp]artition' "$root/target/slurm-it/refused.err" || fail "no sbatch message: $(cat "$root/target/slurm-it/refused.err")"
echo "   $(cat "$root/target/slurm-it/refused.err")"
