#!/usr/bin/env bash
# Makes sure an OpenCL platform is present. As root on Debian it installs PoCL (the CPU
# OpenCL implementation), the ICD loader and clinfo when no platform is found; otherwise it
# says what to install. Exits 0 either way unless REQUIRE_OPENCL=1 and no platform exists.
set -u
have_platform() { command -v clinfo >/dev/null 2>&1 && [ "$(clinfo -l 2>/dev/null | grep -c '^Platform')" -gt 0 ]; }
if have_platform; then exit 0; fi
pkgs="pocl-opencl-icd ocl-icd-libopencl1 clinfo"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: no OpenCL platform found; installing $pkgs" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq $pkgs >/dev/null || { echo "setup: apt-get install $pkgs failed" >&2; exit 1; }
fi
if have_platform; then exit 0; fi
echo "setup: no OpenCL platform; install: sudo apt-get install $pkgs (OpenCL tests will be skipped)" >&2
[ "${REQUIRE_OPENCL:-0}" = 1 ] && { echo "setup: REQUIRE_OPENCL=1 and no OpenCL platform" >&2; exit 1; }
exit 0
