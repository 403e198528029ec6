#!/usr/bin/env bash
# The default ablation (every variant) with this checkout's build and with another commit's,
# alternated ROUNDS times on one device, so that the same machine state hits both: the
# side-by-side measurement of a kernel change (e.g. C kernels -> Java kernels). Prints markdown.
# Usage: scripts/compare-builds.sh BASE_COMMIT [DEVICE] [ablation options...]   (needs `make build`)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
base=${1:?usage: compare-builds.sh BASE_COMMIT [DEVICE] [ablation options...]}
device=${2:-opencl:0:0}
shift $(( $# >= 2 ? 2 : 1 ))
rounds=${ROUNDS:-2}
py=/usr/bin/python3
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$root" worktree add -q --detach "$work/base" "$base"
(cd "$work/base" && JAVA_HOME=$("$root/scripts/find-jdk.sh") mvn -B -q --no-transfer-progress -o -DskipTests package) >&2
echo "# Ablation images/s: $(git -C "$root" rev-parse --short HEAD) against $(git -C "$root" rev-parse --short "$base") on $device"
echo
echo "- command: \`scripts/compare-builds.sh $base $device $*\` (ROUNDS=$rounds)"
echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "- machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- each round runs \`ditvm ablation --device $device $*\` with the base build, then with this one; images/s are the rounds' medians"
echo
for r in $(seq 1 "$rounds"); do
  DITVM_RESULTS="$work/res-base" "$work/base/bin/ditvm" ablation --device "$device" --json "$@" > "$work/base-$r.json"
  DITVM_RESULTS="$work/res-head" "$root/bin/ditvm" ablation --device "$device" --json "$@" > "$work/head-$r.json"
done
"$py" - "$work" "$rounds" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
def rows(kind):
    out = {}
    for r in range(1, rounds + 1):
        for row in json.load(open(f"{work}/{kind}-{r}.json"))["rows"]:
            out.setdefault(row["variant"], []).append(row["images_per_s"])
    return {k: statistics.median(v) for k, v in out.items()}
b, h = rows("base"), rows("head")
print("| variant | base images/s | this images/s | this / base |")
print("|---|---:|---:|---:|")
for v in b:
    print(f"| {v} | {b[v]:.2f} | {h[v]:.2f} | {h[v] / b[v]:.3f} |")
PY
