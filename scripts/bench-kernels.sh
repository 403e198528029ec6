#!/usr/bin/env bash
# Attention against the GEMM rate, LayerNorm and the elementwise kernels against the copy
# bandwidth, on one device, each measured ROUNDS times interleaved (the machine is shared: the
# spread across rounds is the noise). Prints a markdown report. Needs a build (bin/ditvm).
# Usage: scripts/bench-kernels.sh [DEVICE]   (ITERATIONS=30 ROUNDS=3 by default)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
device=${1:-opencl:0:0}
iters=${ITERATIONS:-30}
rounds=${ROUNDS:-3}
ditvm() { "$root/bin/ditvm" bench "$@" --device "$device" --iterations "$iters" --json; }
echo "# Kernels on $device: attention vs GEMM, memory-bound kernels vs copy"
echo
echo "- command: \`scripts/bench-kernels.sh $device\` (ITERATIONS=$iters ROUNDS=$rounds)"
echo "- commit: $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo ' (with uncommitted changes)')"
echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "- machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"
echo "- each cell: kernel time from device events, median of $iters after 3 warm-up runs; one value per round"
echo
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for r in $(seq "$rounds"); do
  ditvm gemm --m 2048 --n 1152 --k 384 >> "$tmp/gemm"
  ditvm attention --batch 8 --heads 6 --tokens 256 --head-dim 64 >> "$tmp/attention"
  ditvm copy --elements 786432 >> "$tmp/copy"
  ditvm layernorm --rows 2048 --cols 384 --modulate >> "$tmp/ln_mod"
  ditvm layernorm --rows 2048 --cols 384 >> "$tmp/ln_affine"
  for op in SILU GELU_TANH ADD; do ditvm elementwise --op $op --elements 786432 >> "$tmp/$op"; done
done
/usr/bin/python3 - "$tmp" <<'PY'
import json, os, statistics, sys
d = sys.argv[1]
def load(name):
    text, out, i, dec = open(os.path.join(d, name)).read(), [], 0, json.JSONDecoder()
    while text[i:].strip():
        while text[i].isspace():
            i += 1
        o, i = dec.raw_decode(text, i)
        out.append(o)
    return out
def med(rows, key):
    return statistics.median(r[key] for r in rows)
def cells(rows, key, fmt):
    return ", ".join(fmt.format(r[key]) for r in rows)
gemm, att = load("gemm"), load("attention")
g, a = med(gemm, "gflops"), med(att, "gflops")
print("## Attention vs GEMM (GFLOP/s, 2 flops per MAC)\n")
print("| kernel | shape | per round | median | ratio to GEMM |")
print("|---|---|---|---:|---:|")
print(f"| {gemm[0]['kernel']} | 2048 x 1152 x 384 | {cells(gemm, 'gflops', '{:.1f}')} | {g:.1f} | 1.00 |")
print(f"| {att[0]['kernel']} | B=8 H=6 T=256 hd=64 | {cells(att, 'gflops', '{:.1f}')} | {a:.1f} | {a / g:.2f} |")
copy = load("copy")
c = med(copy, "gbytes_per_s")
print("\n## Memory-bound kernels vs copy (GB/s of least bytes read + written; 2048 x 384 floats)\n")
print("| kernel | shape | per round (GB/s) | median GB/s | median ms | ratio to copy |")
print("|---|---|---|---:|---:|---:|")
for name, label in [("copy", "786432 floats"), ("ln_mod", "2048 x 384, modulate"), ("ln_affine", "2048 x 384, affine"),
                    ("SILU", "786432"), ("GELU_TANH", "786432"), ("ADD", "786432")]:
    rows = load(name)
    v = med(rows, "gbytes_per_s")
    print(f"| {rows[0]['kernel']} | {label} | {cells(rows, 'gbytes_per_s', '{:.1f}')} | {v:.1f} | "
          f"{med(rows, 'median_s') * 1e3:.3f} | {v / c:.2f} |")
PY
