#!/usr/bin/env bash
# Builds gpu-bundle/: a self-contained ditvm for a Linux x86-64 host with an NVIDIA driver and
# no JDK (a jlink'd Java runtime, the jars, a launcher, the parity fixtures, a check script).
# Needs the jars of `mvn -DskipTests package` (make gpu-bundle runs it first).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
out="$root/gpu-bundle"
java_home=${JAVA_HOME:-$("$root/scripts/find-jdk.sh")}
jar=$(ls "$root"/experiments/target/experiments-*.jar 2>/dev/null | grep -v -- '-tests.jar' | head -n 1 || true)
if [ -z "$jar" ] || [ ! -d "$root/experiments/target/lib" ]; then
  echo "gpu-bundle: no experiments jar; run 'mvn -DskipTests package' (or make gpu-bundle) first" >&2
  exit 2
fi

rm -rf "$out"
mkdir -p "$out/lib"
# The CLI needs java.base only (jdeps: ditvm's jars, picocli, Jackson's core paths); JMH and its
# dependencies (java.management, java.desktop through commons-math3) serve the JMH benchmarks,
# which the bundle leaves out. jdk.unsupported: sun.misc.Unsafe, which Jackson probes for.
# The plots need java.desktop (AWT, ~13 MB): the bundle writes every run file but the plots,
# which `bin/ditvm report DIR` draws afterwards on a full JDK; so XChart's PDF back end
# (pdfbox, fontbox, graphics2d) stays out too.
"$java_home/bin/jlink" --add-modules java.base,jdk.unsupported \
  --strip-debug --no-header-files --no-man-pages \
  --compress=zip-9 --output "$out/runtime"
cp "$jar" "$out/lib/"
for j in "$root"/experiments/target/lib/*.jar; do
  case "$(basename "$j")" in
    jmh-*|jopt-simple-*|commons-math3-*|pdfbox-*|fontbox-*|graphics2d-*) ;;
    *) cp "$j" "$out/lib/" ;;
  esac
done
if [ -d "$root/model/src/test/resources/fixtures" ]; then
  cp -r "$root/model/src/test/resources/fixtures" "$out/fixtures"
fi

cat > "$out/ditvm" <<'LAUNCHER'
#!/bin/sh
# ditvm from the bundle: its own Java runtime, no JDK needed. NVRTC is found at run time
# (toolkit, loader path, pip's nvidia/*/lib); set DITVM_NVRTC=/path/libnvrtc.so.N to choose one.
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
export DITVM_FIXTURES=${DITVM_FIXTURES:-$here/fixtures}
exec "$here/runtime/bin/java" --enable-native-access=ALL-UNNAMED ${DITVM_JAVA_OPTS:--Xmx16g} \
  -cp "$here/lib/*" ditvm.cli.Main "$@"
LAUNCHER

cat > "$out/check.sh" <<'CHECK'
#!/bin/sh
# First run on a GPU host: which Java, which devices, which NVRTC, one GEMM per device.
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
set -e
"$here/runtime/bin/java" -version 2>&1 | head -n 1
if [ -z "${DITVM_NVRTC:-}" ] && command -v python3 >/dev/null 2>&1; then
  # PyTorch's pip wheels carry NVRTC under site-packages/nvidia/*/lib
  lib=$(python3 -c 'import site, glob; print("\n".join(sorted(p for d in site.getsitepackages() + [site.getusersitepackages()] for p in glob.glob(d + "/nvidia/*/lib/libnvrtc.so.*") if "builtins" not in p)))' 2>/dev/null | tail -n 1)
  if [ -n "$lib" ]; then export DITVM_NVRTC="$lib"; echo "DITVM_NVRTC=$lib"; fi
fi
"$here/ditvm" devices
for d in $("$here/ditvm" devices --json | tr ',' '\n' | sed -n 's/.*"id" *: *"\([^"]*\)".*/\1/p'); do
  [ "$d" = java ] && continue
  "$here/ditvm" bench gemm --m 1024 --n 1024 --k 1024 --device "$d" || echo "bench on $d failed"
done
CHECK
chmod +x "$out/ditvm" "$out/check.sh"
echo "gpu-bundle: $(du -sh "$out" | cut -f1) in $out (runtime $(du -sh "$out/runtime" | cut -f1), jars $(du -sh "$out/lib" | cut -f1))"
