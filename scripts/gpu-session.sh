#!/usr/bin/env bash
# What a session with a lent GPU runs on the device machine (no JDK there: the GPU bundle
# carries its own Java). Build here with `make gpu-bundle`, then run on the device machine,
# carrying gpu-bundle/:  scripts/gpu-session.sh "$OUT"
# Every step writes into OUT and the script goes on after a failed step (its exit code is kept
# in OUT/steps.txt). Settings: DEVICE (cuda:0), MODEL (DiT-XL/2), BATCHES (1,8,32),
# PEER_DEVICE (cuda), ITERATIONS (5), PYTHON (python3, with torch).
set -u
out=${1:?usage: gpu-session.sh OUT_DIR}
mkdir -p "$out"
root=$(cd "$(dirname "$0")/.." && pwd)
ditvm="$root/gpu-bundle/ditvm"
device=${DEVICE:-cuda:0}
model=${MODEL:-DiT-XL/2}
batches=${BATCHES:-1,8,32}
peer_device=${PEER_DEVICE:-cuda}
iterations=${ITERATIONS:-5}
[ -x "$ditvm" ] || { echo "gpu-session: no gpu-bundle/ditvm; run make gpu-bundle first and carry gpu-bundle" >&2; exit 2; }
step() {
  local name=$1
  shift
  local t0=$SECONDS
  "$@" > "$out/$name.out" 2> "$out/$name.err"
  local rc=$?
  echo "$name rc=$rc $((SECONDS - t0))s: $*" | tee -a "$out/steps.txt"
}
step machine sh -c 'nvidia-smi; uname -a; cat /proc/cpuinfo | grep -m1 "model name"; nproc; free -g'
step devices "$ditvm" devices --json
step selfcheck "$ditvm" selfcheck --device "$device"
for cl in $("$ditvm" devices --json 2>/dev/null | tr -d ' \n' | grep -o '"id":"opencl:[0-9]*:[0-9]*","name":"[^"]*","vendor":"[^"]*","type":"GPU"' | grep -o 'opencl:[0-9]*:[0-9]*'); do
  step "selfcheck-${cl//:/-}" "$ditvm" selfcheck --device "$cl"
done
step gemm-fp32 "$ditvm" bench gemm --m 4096 --n 4096 --k 4096 --device "$device" --json
step sweep-fp32 "$ditvm" sweep --models "$model" --batches "$batches" --devices "$device" --variants all \
  --iterations "$iterations" --out "$out/sweep-fp32" --json
step sweep-bf16 "$ditvm" sweep --models "$model" --batches "$batches" --devices "$device" --variants all \
  --iterations "$iterations" --precision bf16 --out "$out/sweep-bf16" --json
for b in ${batches//,/ }; do
  for dtype in fp32 bf16; do
    step "pytorch-$dtype-b$b" "${PYTHON:-python3}" "$root/experiments/peers/torch_dit_peer.py" --model "$model" --batch "$b" \
      --device "$peer_device" --dtype "$dtype" --iterations "$iterations" --threads "$(nproc)"
  done
done
