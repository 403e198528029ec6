#!/usr/bin/env bash
# ditvm's GEMM next to OpenBLAS sgemm (numpy, Debian python3) on the same machine, same session,
# shape by shape, interleaved so both see the same machine state. Prints a markdown report.
# Usage: scripts/bench-gemm.sh DEVICE "M N K" ["M N K" ...]   (needs `make build`)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
device=${1:?usage: bench-gemm.sh DEVICE "M N K" ...}
shift
[ $# -gt 0 ] || set -- "1024 1024 1024"
py=/usr/bin/python3
"$py" -c "import numpy" 2>/dev/null || { echo "bench-gemm: $py with numpy is needed (apt-get install python3-numpy libopenblas0-pthread)" >&2; exit 2; }
iters=${ITERATIONS:-20}
. "$root/scripts/openblas-env.sh"
echo "# GEMM: ditvm on $device vs OpenBLAS sgemm"
echo
echo "- command: \`scripts/bench-gemm.sh $device $(printf '"%s" ' "$@")\` (ITERATIONS=$iters)"
echo "- commit: $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo ' (with uncommitted changes)')"
echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "- machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"
echo "- OpenBLAS: $(dpkg-query -W -f '${Package} ${Version}' libopenblas0-pthread 2>/dev/null || echo unknown), core kernels: $(openblas_core) (OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-auto})"
echo "- ditvm: kernel time from device events, median of $iters after 3 warm-up runs; OpenBLAS: wall time of numpy.matmul(A, W.T), median of $iters"
echo
echo "| M | N | K | ditvm kernel | ditvm GFLOP/s | OpenBLAS GFLOP/s | ratio |"
echo "|---:|---:|---:|---|---:|---:|---:|"
for shape in "$@"; do
  set -- $shape
  ours=$("$root/bin/ditvm" bench gemm --m "$1" --n "$2" --k "$3" --device "$device" --iterations "$iters" --json)
  peer=$("$py" "$root/experiments/peers/sgemm_peer.py" "$1" "$2" "$3" --iterations "$iters")
  "$py" - "$ours" "$peer" "$1" "$2" "$3" <<'PY'
import json, sys
o, p = json.loads(sys.argv[1]), json.loads(sys.argv[2])
m, n, k = sys.argv[3:6]
print(f"| {m} | {n} | {k} | {o['kernel']} | {o['gflops']:.1f} | {p['gflops']:.1f} | {o['gflops'] / p['gflops']:.2f} |")
PY
done
