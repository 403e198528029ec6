#!/usr/bin/env bash
# The Java kernels next to the hand-written C kernels of the same shape (interleaved, one run),
# and OpenBLAS sgemm at the same GEMM shapes right after, on the same machine. Prints a markdown
# report. Usage: scripts/bench-java-kernels.sh [DEVICE]   (needs `make build`)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
device=${1:-opencl:0:0}
iters=${ITERATIONS:-20}
py=/usr/bin/python3
"$py" -c "import numpy" 2>/dev/null || { echo "bench-java-kernels: $py with numpy is needed (apt-get install python3-numpy libopenblas0-pthread)" >&2; exit 2; }
. "$root/scripts/openblas-env.sh"
shapes="2048,1152,384;2048,384,384;2048,1536,384;2048,384,1536"
echo "# Java kernels vs the C kernels of the same shape, on $device"
echo
echo "- command: \`scripts/bench-java-kernels.sh $device\` (ITERATIONS=$iters)"
echo "- commit: $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo ' (with uncommitted changes)')"
echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "- machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"
echo "- timing: kernel time from device events; C and Java executions alternate (3 warm-up pairs, then $iters timed pairs), medians; C / Java > 1 means the Java kernel is faster"
echo
"$root/bin/ditvm" bench java-vs-c --device "$device" --iterations "$iters" --gemm "$shapes"
echo
echo "OpenBLAS sgemm in the same run ($(dpkg-query -W -f '${Package} ${Version}' libopenblas0-pthread 2>/dev/null || echo unknown), core kernels: $(openblas_core)):"
echo
echo "| M | N | K | OpenBLAS GFLOP/s |"
echo "|---:|---:|---:|---:|"
IFS=';' read -ra list <<< "$shapes"
for s in "${list[@]}"; do
  IFS=',' read -r m n k <<< "$s"
  peer=$("$py" "$root/experiments/peers/sgemm_peer.py" "$m" "$n" "$k" --iterations "$iters")
  "$py" -c 'import json,sys; p=json.loads(sys.argv[1]); print("| %s | %s | %s | %.1f |" % (sys.argv[2], sys.argv[3], sys.argv[4], p["gflops"]))' "$peer" "$m" "$n" "$k"
done
