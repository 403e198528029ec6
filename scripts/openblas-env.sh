# Sourced by the peer benchmark scripts: the OpenBLAS peer runs its best kernels for this CPU.
# Debian's OpenBLAS 0.3.21 does not know newer CPUs and falls back to weaker kernels (generic
# SSE3 on new Xeons); where the CPU has AVX-512 it runs SkylakeX, elsewhere its own detection.
# An OPENBLAS_CORETYPE inherited from the environment is not taken: this project's machines
# export OPENBLAS_CORETYPE=Haswell to every process, which halves sgemm on an AVX-512 CPU
# (220 against 400 GFLOP/s on the 2-core EPYC, results/java-vs-c-kernels.md). To run the peer on
# a chosen core, set PEER_OPENBLAS_CORETYPE. The core OpenBLAS runs is recorded in each report.
unset OPENBLAS_CORETYPE
if [ -n "${PEER_OPENBLAS_CORETYPE:-}" ]; then
  export OPENBLAS_CORETYPE=$PEER_OPENBLAS_CORETYPE
elif grep -q avx512f /proc/cpuinfo 2>/dev/null; then
  export OPENBLAS_CORETYPE=SkylakeX
fi
openblas_core() {
  OPENBLAS_VERBOSE=2 /usr/bin/python3 -c "import numpy; numpy.ones((2,2),dtype='float32') @ numpy.ones((2,2),dtype='float32')" 2>&1 \
    | sed -n 's/^Core: *//p' | head -n 1
}
