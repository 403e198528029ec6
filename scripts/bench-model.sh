#!/usr/bin/env bash
# ditvm ablation next to eager PyTorch (Debian python3-torch, same machine, same session):
# the four variants of one model and batch. Writes the ditvm run folder under results/ and a
# comparison markdown on stdout. Usage: scripts/bench-model.sh [DEVICE] [MODEL] [BATCH]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
device=${1:-opencl:0:0}
model=${2:-DiT-S/2}
batch=${3:-8}
threads=${THREADS:-$(nproc)}
py=/usr/bin/python3
"$py" -c "import torch" 2>/dev/null || { echo "bench-model: $py with torch is needed (apt-get install python3-torch libopenblas0-pthread)" >&2; exit 2; }
. "$root/scripts/openblas-env.sh"
id="$(date -u +%Y%m%d-%H%M%S)-$(echo "$model" | tr '/' '-')-b$batch-$(echo "$device" | tr ':' '-')-vs-pytorch"
run="$root/results/$id"
ours=$("$root/bin/ditvm" ablation --model "$model" --batch "$batch" --device "$device" --out "$run" --json)
peer=$(OMP_NUM_THREADS=$threads "$py" "$root/experiments/peers/torch_dit_peer.py" --model "$model" --batch "$batch" --threads "$threads")
echo "$peer" > "$run/peer-pytorch.json"
"$py" - "$ours" "$peer" "$device" "$model" "$batch" "$threads" "$(git -C "$root" rev-parse --short HEAD)" "$id" "$(openblas_core)" <<'PY' | tee "$run/vs-pytorch.md"
import json, sys
ours, peer = json.loads(sys.argv[1]), json.loads(sys.argv[2])
device, model, batch, threads, commit, run_id = sys.argv[3:9]
p = {r["variant"]: r for r in peer["rows"]}
print(f"# {model}, batch {batch}: ditvm on {device} vs PyTorch {peer['torch']} eager CPU ({threads} threads)\n")
print(f"- command: `scripts/bench-model.sh {device} {model} {batch}` (THREADS={threads}), commit {commit}")
print(f"- ditvm run folder: results/{run_id} (environment, raw timings); PyTorch raw timings: peer-pytorch.json")
print(f"- PyTorch BLAS: OpenBLAS core kernels {sys.argv[9]} (see scripts/openblas-env.sh)")
print("- both: warm-up, then timed forward passes, median wall time per forward pass\n")
print("| variant | ditvm ms | ditvm images/s | PyTorch ms | PyTorch images/s | ratio |")
print("|---|---:|---:|---:|---:|---:|")
for r in ours["rows"]:
    q = p[r["variant"]]
    print(f"| {r['variant']} | {r['median_ms']:.1f} | {r['images_per_s']:.2f} | {q['median_ms']:.1f} | {q['images_per_s']:.2f} | {r['images_per_s'] / q['images_per_s']:.2f}x |")
PY
