#!/usr/bin/env bash
# Builds the fat jar when it is missing or older than the sources, then runs the gateway in the foreground.
#
#   scripts/run.sh            # configuration from conf/gateway.yaml and the environment (see README)
#
# With no source configured (GATEWAY_SOURCES unset and none in conf/), the gateway starts the local Indicative
# simulator and sends every event there: nothing leaves the machine. JAVA_OPTS is passed to java.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
jar=target/indicative-gateway.jar

if [[ ! -f "$jar" ]] || [[ -n "$(find src pom.xml -newer "$jar" -print -quit)" ]]; then
  echo "run.sh: building $jar (mvn -q -B -DskipTests package)" >&2
  mvn -q -B -DskipTests package
fi

echo "run.sh: running java ${JAVA_OPTS:+$JAVA_OPTS }-jar $jar $*" >&2
# shellcheck disable=SC2086 # JAVA_OPTS holds several options on purpose
exec java ${JAVA_OPTS:-} -jar "$jar" "$@"
