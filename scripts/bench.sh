#!/usr/bin/env bash
# `make bench`: the JMH benchmarks of the kernels and of one block per variant.
# Usage: scripts/bench.sh [JMH regex | JMH options...]  (default: everything under ditvm;
# e.g. `scripts/bench.sh KernelBenchmark` for the kernels alone).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
java_home=$("$root/scripts/find-jdk.sh")
jar=$(ls "$root"/experiments/target/experiments-*.jar | grep -v -- '-tests.jar' | head -n 1)
exec "$java_home/bin/java" --enable-native-access=ALL-UNNAMED -cp "$jar:$root/experiments/target/lib/*" \
  org.openjdk.jmh.Main -f 1 -wi 2 -i 5 "${@:-ditvm}"
