#!/usr/bin/env bash
# The model's kernels with this checkout's build and with another commit's, and the GEMM shapes
# with OpenBLAS sgemm too, interleaved round by round on one device (base, this, OpenBLAS, ...),
# so that the same machine state hits all three: the side-by-side measurement of a kernel port
# (C kernels -> Java kernels). Prints markdown.
# Usage: scripts/compare-kernels.sh BASE_COMMIT [DEVICE]   (ROUNDS=3 ITERATIONS=20; ONLY=REGEX keeps the cases
# whose name matches, e.g. ONLY=gemm; needs `make build`)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
base=${1:?usage: compare-kernels.sh BASE_COMMIT [DEVICE]}
device=${2:-opencl:0:0}
rounds=${ROUNDS:-3}
iters=${ITERATIONS:-20}
py=/usr/bin/python3
"$py" -c "import numpy" 2>/dev/null || { echo "compare-kernels: $py with numpy is needed (apt-get install python3-numpy libopenblas0-pthread)" >&2; exit 2; }
. "$root/scripts/openblas-env.sh"
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$root" worktree add -q --detach "$work/base" "$base"
# package, not install: the base build must not replace this build's jars in ~/.m2
(cd "$work/base" && JAVA_HOME=$("$root/scripts/find-jdk.sh") mvn -B -q --no-transfer-progress -o -DskipTests package) >&2

# name|bench arguments; GEMM cases are "gemm M N K"
cases=(
  "gemm 2048 1152 384|gemm --m 2048 --n 1152 --k 384"
  "gemm 2048 384 384|gemm --m 2048 --n 384 --k 384"
  "gemm 2048 1536 384|gemm --m 2048 --n 1536 --k 384"
  "gemm 2048 384 1536|gemm --m 2048 --n 384 --k 1536"
  "attention B=8 H=6 T=256 hd=64|attention --batch 8 --heads 6 --tokens 256 --head-dim 64"
  "attention B=4 H=6 T=1024 hd=64|attention --batch 4 --heads 6 --tokens 1024 --head-dim 64"
  "layernorm 2048 x 384, modulate|layernorm --rows 2048 --cols 384 --modulate"
  "layernorm 2048 x 384, affine|layernorm --rows 2048 --cols 384"
  "silu 786432|elementwise --op SILU --elements 786432"
  "gelu_tanh 786432|elementwise --op GELU_TANH --elements 786432"
  "add 786432|elementwise --op ADD --elements 786432"
  "copy 786432|copy --elements 786432"
)
if [ -n "${ONLY:-}" ]; then
  kept=()
  for c in "${cases[@]}"; do
    if [[ ${c%%|*} =~ $ONLY ]]; then kept+=("$c"); fi
  done
  [ ${#kept[@]} -gt 0 ] || { echo "compare-kernels: no case matches ONLY=$ONLY" >&2; exit 2; }
  cases=("${kept[@]}")
fi
for r in $(seq "$rounds"); do
  for i in "${!cases[@]}"; do
    args=${cases[$i]#*|}
    # shellcheck disable=SC2086
    "$work/base/bin/ditvm" bench $args --device "$device" --iterations "$iters" --json >> "$work/base-$i"
    # shellcheck disable=SC2086
    "$root/bin/ditvm" bench $args --device "$device" --iterations "$iters" --json >> "$work/head-$i"
    name=${cases[$i]%%|*}
    if [[ $name == gemm* ]]; then
      set -- $name
      "$py" "$root/experiments/peers/sgemm_peer.py" "$2" "$3" "$4" --iterations "$iters" >> "$work/blas-$i"
    fi
  done
done

echo "# Kernels: $(git -C "$root" rev-parse --short HEAD) against $(git -C "$root" rev-parse --short "$base") on $device"
echo
echo "- command: \`scripts/compare-kernels.sh $base $device\` (ROUNDS=$rounds ITERATIONS=$iters${ONLY:+ ONLY=$ONLY})"
echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "- machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- OpenBLAS: $(dpkg-query -W -f '${Package} ${Version}' libopenblas0-pthread 2>/dev/null || echo unknown), core kernels: $(openblas_core) (OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-auto})"
echo "- each round runs every case with the base build, then this build, then (GEMM) OpenBLAS; a cell is the median over rounds of each run's median of $iters kernel times (device events; OpenBLAS: wall time of numpy.matmul)"
echo
names=()
for c in "${cases[@]}"; do names+=("${c%%|*}"); done
"$py" - "$work" "${names[@]}" <<'PY'
import json, os, statistics, sys
work, names = sys.argv[1], sys.argv[2:]
def docs(path):
    if not os.path.exists(path):
        return []
    text, out, dec, i = open(path).read(), [], json.JSONDecoder(), 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        d, i = dec.raw_decode(text, i)
        out.append(d)
    return out
print("| case | base kernel | this kernel | base ms | this ms | this / base speed | base GFLOP/s or GB/s | this GFLOP/s or GB/s | OpenBLAS GFLOP/s | this / OpenBLAS |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
for i, name in enumerate(names):
    b, h, o = docs(f"{work}/base-{i}"), docs(f"{work}/head-{i}"), docs(f"{work}/blas-{i}")
    bm = statistics.median(d["median_s"] for d in b)
    hm = statistics.median(d["median_s"] for d in h)
    gemm = name.startswith("gemm") or name.startswith("attention")
    key = "gflops" if gemm else "gbytes_per_s"
    br = statistics.median(d[key] for d in b)
    hr = statistics.median(d[key] for d in h)
    blas = statistics.median(d["gflops"] for d in o) if o else None
    print(f"| {name} | {b[0]['kernel']} | {h[0]['kernel']} | {bm * 1e3:.3f} | {hm * 1e3:.3f} | {bm / hm:.3f} | {br:.1f} | {hr:.1f} | "
          + (f"{blas:.1f} | {hr / blas:.2f} |" if blas else "- | - |"))
PY
