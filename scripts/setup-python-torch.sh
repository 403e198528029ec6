#!/usr/bin/env bash
# Makes sure Debian's Python has PyTorch (python3-torch 1.13) and numpy: the --peers path exports
# its ONNX and TorchScript models from experiments/reference with it, runs the pytorch peer on it,
# and the fixtures are made with it. As root on Debian it installs what is missing; otherwise it
# says what to install. Exits 0 either way unless CI=true and torch is still missing.
set -u
py=/usr/bin/python3
have_torch() { [ -x "$py" ] && "$py" -c "import torch, numpy" >/dev/null 2>&1; }
if have_torch; then exit 0; fi
pkgs="python3-torch python3-numpy libopenblas0-pthread"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: $py has no torch; installing $pkgs (about 1 GB)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq $pkgs >/dev/null || { echo "setup: apt-get install $pkgs failed" >&2; exit 1; }
fi
if have_torch; then exit 0; fi
echo "setup: $py has no torch; install: sudo apt-get install $pkgs (the peer tests will be skipped)" >&2
[ "${CI:-}" = true ] && { echo "setup: CI=true and no python3-torch" >&2; exit 1; }
exit 0
