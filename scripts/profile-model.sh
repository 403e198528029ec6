#!/usr/bin/env bash
# Per-kernel device time of one DiT forward pass, as markdown (scripts/ProfileModel.java; needs `make build`).
# Usage: scripts/profile-model.sh DEVICE MODEL IMAGE_SIZE BATCH VARIANTS   (ITERATIONS=3)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ -d "$root/experiments/target/lib" ] || { echo "profile-model: not built; run 'make build' first" >&2; exit 2; }
jar=$(ls "$root"/experiments/target/experiments-*.jar | grep -v -- '-tests.jar' | head -n 1)
exec "$("$root/scripts/find-jdk.sh")/bin/java" --enable-native-access=ALL-UNNAMED -Xmx16g \
  -cp "$jar:$root/experiments/target/lib/*" "$root/scripts/ProfileModel.java" "$@"
