#!/usr/bin/env bash
# Benchmark on loopback, everything in one run so the figures compare:
#   1. the limit baseline (a bare Vert.x server that reads, parses and answers 200) and the gateway, each driven by
#      the same closed-loop load generator (64 connections): /v1/batch with 100 x 0.5 KB events, then /v1/track;
#   2. end to end: the gateway at a fixed rate of half its measured /v1/batch maximum for SUSTAIN_SECONDS (60):
#      events/s in, events/s arriving at the simulator, backlog and heap after a full GC at start and end,
#      p50/p99 of the 200.
# Each case first runs WARMUP_SECONDS (15) unmeasured, so the JIT has compiled the hot paths (the gateway has far
# more code to compile than the baseline; measured cold, its first seconds mostly measure the compiler).
# Load generator, servers and simulator share this machine's cores: compare ratios, not absolute numbers; the
# table shows each process's CPU in the measured window.
# Bounded in time; every process it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_CASE=${SECONDS_PER_CASE:-20}
WARMUP_SECONDS=${WARMUP_SECONDS:-15}
SUSTAIN_SECONDS=${SUSTAIN_SECONDS:-60}
CONNECTIONS=${CONNECTIONS:-64}
GW_PORT=${GW_PORT:-18080}
SIM_PORT=${SIM_PORT:-18089}
BASE_PORT=${BASE_PORT:-18090}
WRITE_KEY=bench-write-key
# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh

echo "==> building target/indicative-gateway.jar and the benchmark classes (mvn -DskipTests package)"
mvn -q -B -DskipTests package
CP="target/test-classes:target/indicative-gateway.jar"

echo "==> measuring how long this disk takes to sync an append (the floor under every durable 200)"
FSYNC=$(java -cp "$CP" io.indicativegateway.bench.FsyncProbe "$WORK")
echo "==> starting the limit baseline on 127.0.0.1:$BASE_PORT"
java -Xmx1g -cp "$CP" io.indicativegateway.bench.BaselineServer "$BASE_PORT" >"$WORK/baseline.log" 2>&1 &
BASE_PID=$!
PIDS+=($BASE_PID)
echo "==> starting the Indicative simulator on 127.0.0.1:$SIM_PORT"
java -Xmx1g -jar target/indicative-gateway.jar simulator --port "$SIM_PORT" --max-recorded 1000 \
  >"$WORK/simulator.log" 2>&1 &
SIM_PID=$!
PIDS+=($SIM_PID)
echo "==> starting the gateway on 127.0.0.1:$GW_PORT (durable store in $WORK/store)"
GATEWAY_HOST=127.0.0.1 GATEWAY_PORT=$GW_PORT GATEWAY_DATA_DIR="$WORK/store" GATEWAY_LOG_FORMAT=text \
  INDICATIVE_URL="http://127.0.0.1:$SIM_PORT/service" GATEWAY_SOURCES="$WRITE_KEY=bench-project" \
  GATEWAY_STORE_MAX_BYTES=$((16 * 1024 * 1024 * 1024)) GATEWAY_DEDUP_WINDOW_MINUTES=60 \
  java -Xmx1g -jar target/indicative-gateway.jar >"$WORK/gateway.log" 2>&1 &
GW_PID=$!
PIDS+=($GW_PID)
wait_for "http://127.0.0.1:$GW_PORT/health/ready"
wait_for "http://127.0.0.1:$SIM_PORT/_simulator/stats"
sleep 1

field() { sed -E "s/.*\"$1\":\"?([^,\"}]*).*/\1/" <<<"$2"; }
metric() { curl -fs "http://127.0.0.1:$GW_PORT/metrics" | grep -E "^$1 " | awk '{print $2}' | head -1; }
# heap in use right after a full collection (jcmd, in the JDK): what "flat" is about; used heap swings with Eden
heap_mb() {
  jcmd "$GW_PID" GC.run >/dev/null
  curl -fs "http://127.0.0.1:$GW_PORT/metrics" | awk '/^jvm_memory_used_bytes\{.*area="heap"/ {sum += $NF}
    END {printf "%.0f", sum / 1048576}'
}

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system CPU of a process, in clock ticks
HZ=$(getconf CLK_TCK)

load() { # url mode rate seconds server-pid: the load generator's JSON, plus the CPU of server and simulator
  echo "==> $2 against $1, $CONNECTIONS connections, ${4}s (+${WARMUP_SECONDS}s warm-up), rate ${3} req/s" \
    "(0 = closed loop)" >&2
  java -Xmx512m -cp "$CP" io.indicativegateway.bench.LoadGenerator --url "$1" --mode "$2" \
    --connections "$CONNECTIONS" --rate "$3" --seconds "$4" --warmup "$WARMUP_SECONDS" --write-key "$WRITE_KEY" \
    --stats-url "http://127.0.0.1:$SIM_PORT/_simulator/stats" >"$WORK/load.json" &
  local gen=$! s0 s1 m0 m1
  sleep "$WARMUP_SECONDS"
  s0=$(ticks "$5"); m0=$(ticks "$SIM_PID")
  sleep "$4"
  s1=$(ticks "$5"); m1=$(ticks "$SIM_PID")
  wait "$gen"
  sed -E "s/}$/,\"serverCpuPercent\":$(((s1 - s0) * 100 / HZ / $4)),\"simulatorCpuPercent\":$(((m1 - m0) * 100 / HZ / $4))}/" \
    "$WORK/load.json"
}

drain() { # until the simulator stops receiving
  local last=-1 now
  for _ in $(seq 1 180); do
    now=$(curl -fs "http://127.0.0.1:$SIM_PORT/_simulator/stats" | sed -E 's/.*"acceptedEvents":([0-9]+).*/\1/')
    [ "$now" = "$last" ] && return
    last=$now; sleep 1
  done
}

BASE_BATCH=$(load "http://127.0.0.1:$BASE_PORT" batch 0 "$SECONDS_PER_CASE" "$BASE_PID")
GW_BATCH=$(load "http://127.0.0.1:$GW_PORT" batch 0 "$SECONDS_PER_CASE" "$GW_PID"); drain
BASE_TRACK=$(load "http://127.0.0.1:$BASE_PORT" track 0 "$SECONDS_PER_CASE" "$BASE_PID")
GW_TRACK=$(load "http://127.0.0.1:$GW_PORT" track 0 "$SECONDS_PER_CASE" "$GW_PID"); drain

HALF_RATE=$(awk -v r="$(field requestsPerSecond "$GW_BATCH")" 'BEGIN {printf "%d", r / 2}')
BACKLOG_BEFORE=$(metric gateway_store_undelivered_messages); HEAP_BEFORE=$(heap_mb)
SUSTAINED=$(load "http://127.0.0.1:$GW_PORT" batch "$HALF_RATE" "$SUSTAIN_SECONDS" "$GW_PID")
BACKLOG_AFTER=$(metric gateway_store_undelivered_messages); HEAP_AFTER=$(heap_mb)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "-" }'; }

echo
printf '%-34s %11s %11s %9s %8s %8s %11s %11s %11s\n' case "requests/s" "events/s" "vs limit" "p50 ms" \
  "p99 ms" "server CPU" "sim. CPU" "loadgen CPU"
row() { # label result baseline-result per
  printf '%-34s %11s %11s %9s %8s %8s %10s%% %10s%% %10s%%\n' "$1" "$(field requestsPerSecond "$2")" \
    "$(field eventsPerSecond "$2")" "$([ -n "$3" ] && ratio "$(field "$4" "$2")" "$(field "$4" "$3")" || echo)" \
    "$(field p50ms "$2")" "$(field p99ms "$2")" "$(field serverCpuPercent "$2")" "$(field simulatorCpuPercent "$2")" \
    "$(field loadCpuPercent "$2")"
}
row "limit baseline /v1/batch x100" "$BASE_BATCH" "" ""
row "gateway /v1/batch x100 (durable)" "$GW_BATCH" "$BASE_BATCH" eventsPerSecond
row "limit baseline /v1/track" "$BASE_TRACK" "" ""
row "gateway /v1/track (durable)" "$GW_TRACK" "$BASE_TRACK" requestsPerSecond
row "gateway /v1/batch at ${HALF_RATE} req/s" "$SUSTAINED" "" ""
echo
IN=$(field eventsPerSecond "$SUSTAINED"); OUT=$(field deliveredPerSecond "$SUSTAINED")
echo "$FSYNC"
echo "end to end over ${SUSTAIN_SECONDS}s at half the maximum: ${IN} events/s in, ${OUT} events/s at the simulator ($(ratio "$OUT" "$IN")); backlog ${BACKLOG_BEFORE} -> ${BACKLOG_AFTER} messages; heap after a full GC ${HEAP_BEFORE} -> ${HEAP_AFTER} MB"
echo
for r in "$BASE_BATCH" "$GW_BATCH" "$BASE_TRACK" "$GW_TRACK" "$SUSTAINED"; do echo "raw: $r"; done
