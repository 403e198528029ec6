# Sourced by the peer benchmark scripts. Debian's OpenBLAS 0.3.21 does not know newer Xeon
# models and falls back to its generic Prescott (SSE3) kernels, a quarter of the machine's
# speed; a fair peer runs its best kernel for the CPU. Where the CPU has AVX-512 and the caller
# did not choose, use the SkylakeX kernels. The core OpenBLAS runs is recorded in the report.
if [ -z "${OPENBLAS_CORETYPE:-}" ] && grep -q avx512f /proc/cpuinfo 2>/dev/null; then
  export OPENBLAS_CORETYPE=SkylakeX
fi
openblas_core() {
  OPENBLAS_VERBOSE=2 /usr/bin/python3 -c "import numpy; numpy.ones((2,2),dtype='float32') @ numpy.ones((2,2),dtype='float32')" 2>&1 \
    | sed -n 's/^Core: *//p' | head -n 1
}
