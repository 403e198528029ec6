#!/usr/bin/env bash
# ditvm against its peers in one run: `bin/ditvm ablation --peers onnxruntime,libtorch,pytorch`
# (interleaved timing, outputs checked), with OpenBLAS sgemm (Debian numpy) at the shape of the
# run's calibration GEMM right before and right after it, so that the run's achieved GFLOP/s can be
# read as a share of sgemm (of the faster of the two: the machine's speed drifts over minutes).
# Writes results/<id>-vs-peers/ (the ablation run folder) with sgemm.json and vs-sgemm.md in it.
# Usage: scripts/bench-peers.sh [DEVICE] [MODEL] [IMAGE_SIZE] [BATCH] [VARIANTS]   (after make peers)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
device=${1:-opencl:0:0}
model=${2:-DiT-S/2}
image=${3:-256}
batch=${4:-8}
variants=${5:-all}
py=/usr/bin/python3
. "$root/scripts/openblas-env.sh"
id="$(date -u +%Y%m%d-%H%M%S)-$(echo "$model" | tr '/' '-')-$image-b$batch-$(echo "$device" | tr ':' '-')-vs-peers"
run="${DITVM_RESULTS:-$root/results}/$id"
# 2048 x 1152 x 384: the calibration shape on CPU devices (experiments/.../harness/Calibration.java)
sgemm() { OPENBLAS_NUM_THREADS=$(nproc) "$py" "$root/experiments/peers/sgemm_peer.py" "$@"; }
before=$(sgemm 2048 1152 384)
"$root/bin/ditvm" ablation --model "$model" --image-size "$image" --batch "$batch" --variants "$variants" --device "$device" \
  --peers onnxruntime,libtorch,pytorch --out "$run" >/dev/null
read -r m n k < <("$py" -c "import json,sys; c=json.load(open(sys.argv[1]))['calibration'][0]; print(c['m'], c['n'], c['k'])" "$run/results.json")
[ "$m $n $k" = "2048 1152 384" ] || before=$(sgemm "$m" "$n" "$k") # a calibration shape this script did not expect: measure it now
after=$(sgemm "$m" "$n" "$k")
"$py" - "$before" "$after" > "$run/sgemm.json" <<'PY'
import json, sys
b, a = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(json.dumps(dict(a, before_gflops=b["gflops"], after_gflops=a["gflops"], gflops=max(a["gflops"], b["gflops"]))))
PY
"$py" - "$run" "$(openblas_core)" <<'PY' | tee "$run/vs-sgemm.md"
import json, sys
run, core = sys.argv[1], sys.argv[2]
r, s = json.load(open(run + "/results.json")), json.load(open(run + "/sgemm.json"))
c = r["calibration"][0]
print(f"# {run.split('/')[-1]}: achieved GFLOP/s as a share of OpenBLAS sgemm, same session\n")
print(f"- sgemm: {s['peer']}, OpenBLAS core {core}, {s['threads']} threads, {c['m']} x {c['n']} x {c['k']} (the calibration"
      f" shape): {s['gflops']:.1f} GFLOP/s, the faster of {s['before_gflops']:.1f} before the run and {s['after_gflops']:.1f}"
      f" after it; ditvm's own GEMM there: {c['gflops_per_second']:.1f} GFLOP/s\n")
print("| variant | achieved GFLOP/s | % of sgemm |")
print("|---|---:|---:|")
for row in r["rows"]:
    print(f"| {row['variant']} | {row['achieved_gflops_per_s']:.1f} | {100 * row['achieved_gflops_per_s'] / s['gflops']:.0f}% |")
PY
echo "written: $run"
