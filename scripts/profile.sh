#!/usr/bin/env bash
# Profiles the gateway with JFR (in the JDK) under load on loopback and prints where the CPU goes:
# CPU per thread group (from /proc, so RocksDB's native threads count too), Java samples per thread, the hottest
# frames (self time), the gateway's own methods the samples pass through, and the native methods Java threads sat
# in (RocksDB calls).
#   scripts/profile.sh [batch|track] [seconds] [filter]   (defaults: batch 20 .; filter = a thread-name regex)
#   INDICATIVE_DOWN=1 scripts/profile.sh ...                ingestion alone: delivery has nowhere to send
#   RATE=198 scripts/profile.sh ...                         a fixed rate of requests/s instead of a closed loop
# It also prints the garbage collections and allocation in the window, and how many methods the JIT compiled.
# The recording covers only the measured window (after WARMUP_SECONDS, 20, of the same load) and stays in
# target/profile/gateway.jfr for `jfr print` or JDK Mission Control. Bounded in time; every process it starts is
# stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=${1:-batch}
SECONDS_OF_LOAD=${2:-20}
FILTER=${3:-.}
WARMUP_SECONDS=${WARMUP_SECONDS:-20}
GW_PORT=${GW_PORT:-18280}
SIM_PORT=${SIM_PORT:-18289}
WRITE_KEY=profile-write-key
OUT=target/profile
# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh

echo "==> building target/indicative-gateway.jar and the benchmark classes (mvn -DskipTests package)"
mvn -q -B -DskipTests package
mkdir -p "$OUT"
rm -f "$OUT/gateway.jfr"

INDICATIVE_URL="http://127.0.0.1:$SIM_PORT/service"
STATS=(--stats-url "http://127.0.0.1:$SIM_PORT/_simulator/stats")
if [ -n "${INDICATIVE_DOWN:-}" ]; then
  INDICATIVE_URL="http://127.0.0.1:1/service"
  STATS=()
  echo "==> Indicative is down (nothing listens on port 1): ingestion alone, the backlog stays stored"
else
  echo "==> starting the Indicative simulator on 127.0.0.1:$SIM_PORT"
  java -Xmx1g -jar target/indicative-gateway.jar simulator --port "$SIM_PORT" --max-recorded 1000 \
    >"$WORK/simulator.log" 2>&1 &
  PIDS+=($!)
fi
echo "==> starting the gateway on 127.0.0.1:$GW_PORT"
GATEWAY_HOST=127.0.0.1 GATEWAY_PORT=$GW_PORT GATEWAY_DATA_DIR="$WORK/store" GATEWAY_LOG_FORMAT=text \
  INDICATIVE_URL="$INDICATIVE_URL" GATEWAY_SOURCES="$WRITE_KEY=profile-project" \
  GATEWAY_STORE_MAX_BYTES=$((16 * 1024 * 1024 * 1024)) \
  java -Xmx1g -jar target/indicative-gateway.jar >"$WORK/gateway.log" 2>&1 &
GW_PID=$!
PIDS+=($GW_PID)
wait_for "http://127.0.0.1:$GW_PORT/health/live"

# user + system CPU ticks per thread group (trailing numbers dropped: vert.x-eventloop-thread-N); a thread that
# exits while it is read is skipped. Ticks of threads that exit inside the window are not counted.
threads() {
  local t comm ticks
  for t in /proc/"$GW_PID"/task/*; do
    comm=$(cat "$t/comm" 2>/dev/null) || continue
    ticks=$(awk '{print $14 + $15}' "$t/stat" 2>/dev/null) || continue
    if [[ -n "$comm" && -n "$ticks" ]]; then printf '%s|%s\n' "$comm" "$ticks"; fi
  done | awk -F'|' '{ sub(/[0-9]+$/, "N", $1); a[$1] += $2 } END { for (k in a) print k "|" a[k] }' | LC_ALL=C sort
}

echo "==> $MODE load, 64 connections: ${WARMUP_SECONDS}s warm-up, then ${SECONDS_OF_LOAD}s recorded"
java -Xmx512m -cp "target/test-classes:target/indicative-gateway.jar" io.indicativegateway.bench.LoadGenerator \
  --url "http://127.0.0.1:$GW_PORT" --mode "$MODE" --connections 64 --seconds "$SECONDS_OF_LOAD" \
  --warmup "$WARMUP_SECONDS" --rate "${RATE:-0}" --write-key "$WRITE_KEY" "${STATS[@]}" >"$WORK/load.json" &
LOAD_PID=$!
PIDS+=($LOAD_PID)
sleep "$WARMUP_SECONDS"
jcmd "$GW_PID" JFR.start name=profile settings=profile filename="$(pwd)/$OUT/gateway.jfr" >/dev/null
threads >"$WORK/cpu0"
sleep "$SECONDS_OF_LOAD"
threads >"$WORK/cpu1"
jcmd "$GW_PID" JFR.stop name=profile filename="$(pwd)/$OUT/gateway.jfr" >/dev/null
wait "$LOAD_PID"
cat "$WORK/load.json"

HZ=$(getconf CLK_TCK)
echo
echo "--- CPU per thread group in the window (% of one core)"
LC_ALL=C join -t'|' "$WORK/cpu0" "$WORK/cpu1" | awk -F'|' -v s="$SECONDS_OF_LOAD" -v hz="$HZ" \
  '{ d = 100 * ($3 - $2) / hz / s; if (d >= 0.5) printf "%6.1f%%  %s\n", d, $1 }' | sort -rn

jfr print --events jdk.ExecutionSample --stack-depth 64 "$OUT/gateway.jfr" >"$WORK/samples.txt"
# one line per sample: thread<TAB>top frame<TAB>first io.indicativegateway frame
awk -v filter="$FILTER" '
  /sampledThread = / { t = $0; sub(/.*sampledThread = "/, "", t); sub(/".*/, "", t); gsub(/[0-9]+$/, "N", t) }
  /stackTrace = \[/ { inside = 1; top = ""; own = ""; next }
  inside && /^[[:space:]]*\]/ { if (t ~ filter) print t "\t" top "\t" (own == "" ? "(none)" : own); inside = 0; next }
  inside {
    f = $0; sub(/^[[:space:]]+/, "", f); sub(/[[:space:]]+line:.*/, "", f)
    if (top == "") top = f
    if (own == "" && f ~ /^io\.indicativegateway\./) own = f
  }' "$WORK/samples.txt" >"$WORK/rows.tsv"
TOTAL=$(wc -l <"$WORK/rows.tsv")
top() { sort | uniq -c | sort -rn | head -"$1" | awk -v n="$TOTAL" '{c = $1; $1 = ""; printf "%6.1f%%  %s\n", 100 * c / n, $0}'; }
echo
echo "Java samples (threads matching '$FILTER'): $TOTAL"
echo "--- by thread"
cut -f1 "$WORK/rows.tsv" | top 12
echo "--- hottest frames (self)"
cut -f2 "$WORK/rows.tsv" | top 30
echo "--- first gateway frame on the stack"
cut -f3 "$WORK/rows.tsv" | top 30
echo "--- native methods Java threads were in (samples; waits such as epoll are not CPU)"
jfr print --events jdk.NativeMethodSample --stack-depth 2 "$OUT/gateway.jfr" | awk '
  /sampledThread = / { t = $0; sub(/.*sampledThread = "/, "", t); sub(/".*/, "", t); gsub(/[0-9]+$/, "N", t) }
  /stackTrace = \[/ { getline; f = $0; sub(/^[[:space:]]+/, "", f); sub(/[[:space:]]+line:.*/, "", f); print t "  " f }' |
  sort | uniq -c | sort -rn | head -12

# durations and sizes as jfr prints them ("3.12 ms", "1.5 MB") in one unit
to_ms() { awk '{ v = $1; u = $2; if (u == "s") v *= 1000; else if (u == "us") v /= 1000; else if (u == "ns") v /= 1e6; print v }'; }
echo "--- garbage collections in the window (pause per collection, ms)"
jfr print --events jdk.GarbageCollection "$OUT/gateway.jfr" | awk '/sumOfPauses = / { print $3, $4 }' | to_ms |
  sort -n | awk '{ p[NR] = $1 } END { if (NR == 0) { print "none"; exit }
    printf "%d collections, median %.1f ms, max %.1f ms\n", NR, p[int((NR + 1) / 2)], p[NR] }'
EVENTS_PER_SECOND=$(sed -E 's/.*"eventsPerSecond":([0-9.]+).*/\1/' "$WORK/load.json")
jfr print --events jdk.ObjectAllocationSample "$OUT/gateway.jfr" | awk -v s="$SECONDS_OF_LOAD" -v eps="$EVENTS_PER_SECOND" '
  /weight = / { v = $3; u = $4; m = (u == "kB") ? 1e3 : (u == "MB") ? 1e6 : (u == "GB") ? 1e9 : 1; sum += v * m }
  END { printf "allocated (sampled estimate): %.0f MB/s, %.1f KB per event\n", sum / s / 1e6,
        (eps > 0 ? sum / s / eps / 1e3 : 0) }'
echo "--- JIT compilations over 100 ms in the window (JFR records no shorter ones): $(jfr summary "$OUT/gateway.jfr" | awk '$1 == "jdk.Compilation" { print $2 }')"
