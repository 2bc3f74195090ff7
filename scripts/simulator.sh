#!/usr/bin/env bash
# Runs the Indicative simulator: a local stand-in for Indicative's API (https://api.indicative.com/service).
#
#   scripts/simulator.sh [--port N] [--host H] [--api-keys k1,k2] [--max-recorded N] [--instances N]
#
# Builds target/indicative-gateway.jar first when it is missing or older than the main sources. Without --port it
# listens on 8089, the port local mode uses. JAVA_OPTS is passed to java (e.g. -Xmx2g).
# Controls and recordings: GET /_simulator/stats, GET /_simulator/received, POST /_simulator/behavior,
# POST /_simulator/reset on the same port.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
jar=target/indicative-gateway.jar

if [[ ! -f "$jar" ]] || [[ -n "$(find src/main pom.xml -newer "$jar" -print -quit)" ]]; then
  echo "simulator.sh: building $jar (mvn -q -B -DskipTests package)" >&2
  mvn -q -B -DskipTests package
fi

args=("$@")
if [[ " $* " != *" --port "* && " $* " != *" --port="* ]]; then
  args=(--port 8089 "${args[@]}")
fi

echo "simulator.sh: running java ${JAVA_OPTS:+$JAVA_OPTS }-jar $jar simulator ${args[*]}" >&2
# shellcheck disable=SC2086 # JAVA_OPTS holds several options on purpose
exec java ${JAVA_OPTS:-} -jar "$jar" simulator "${args[@]}"
