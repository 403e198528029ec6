#!/usr/bin/env bash
# Prints the home of a JDK 25 or newer: JAVA_HOME if it is one, else the newest in the
# system's JVM folder. Prints one clear line on stderr and exits 1 when there is none.
set -u
major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
ok() { [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ "$(major "$1")" -ge 25 ] 2>/dev/null; }
if [ -n "${JAVA_HOME:-}" ] && ok "$JAVA_HOME"; then echo "$JAVA_HOME"; exit 0; fi
best=""; best_v=0
for d in /usr/lib/jvm/*/; do
  d=${d%/}
  if ok "$d"; then v=$(major "$d"); if [ "$v" -gt "$best_v" ]; then best=$d; best_v=$v; fi; fi
done
if [ -n "$best" ]; then echo "$best"; exit 0; fi
echo "ditvm needs a JDK 25 or newer: JAVA_HOME (${JAVA_HOME:-unset}) is not one and none was found in /usr/lib/jvm; install one (e.g. Temurin 25) and set JAVA_HOME" >&2
exit 1
