#!/usr/bin/env bash
# Runs the JMH microbenchmarks in src/test/java/io/indicativegateway/bench (translation of a typical track event,
# the store's append+sync path). Extra arguments go to JMH, e.g. scripts/jmh.sh TranslationBenchmark -f 1.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "==> compiling main and test classes (JMH's annotation processor generates the harness)"
mvn -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/jmh-classpath.txt \
  -Dmdep.includeScope=test
echo "==> running JMH ${*:-(all benchmarks)}"
exec java -cp "target/test-classes:target/classes:$(cat target/jmh-classpath.txt)" org.openjdk.jmh.Main \
  -rf json -rff target/jmh-result.json "${@:-io.indicativegateway.bench}"
