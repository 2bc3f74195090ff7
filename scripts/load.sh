#!/usr/bin/env bash
# Loopback load test: builds the jar, starts the Indicative simulator and the gateway (durable store on, in a
# temporary directory), drives /v1/batch (100 events per request) and single /v1/track calls with a closed-loop
# load generator, and prints accepted events/s next to what the simulator received in the same window.
# Bounded: each case runs SECONDS_PER_CASE seconds (default 20) after a 3 s warm-up; everything stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_CASE=${SECONDS_PER_CASE:-20}
SUSTAINED_EVENTS_PER_SECOND=${SUSTAINED_EVENTS_PER_SECOND:-20000}
CONNECTIONS=${CONNECTIONS:-64}
GW_PORT=${GW_PORT:-18080}
SIM_PORT=${SIM_PORT:-18089}
WRITE_KEY=bench-write-key
WORK=$(mktemp -d)
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "==> building target/indicative-gateway.jar and the load generator (mvn -DskipTests package)"
mvn -q -B -DskipTests package

echo "==> starting the Indicative simulator on 127.0.0.1:$SIM_PORT"
java -Xmx1g -jar target/indicative-gateway.jar simulator --port "$SIM_PORT" --max-recorded 1000 \
  >"$WORK/simulator.log" 2>&1 &
PIDS+=($!)

echo "==> starting the gateway on 127.0.0.1:$GW_PORT (store in $WORK/store)"
GATEWAY_HOST=127.0.0.1 GATEWAY_PORT=$GW_PORT GATEWAY_DATA_DIR="$WORK/store" \
  INDICATIVE_URL="http://127.0.0.1:$SIM_PORT/service" GATEWAY_SOURCES="$WRITE_KEY=bench-project" \
  GATEWAY_STORE_MAX_BYTES=$((8 * 1024 * 1024 * 1024)) \
  java -Xmx1g -jar target/indicative-gateway.jar >"$WORK/gateway.log" 2>&1 &
PIDS+=($!)

for _ in $(seq 1 60); do
  if curl -fs "http://127.0.0.1:$GW_PORT/health/ready" >/dev/null 2>&1 \
     && curl -fs "http://127.0.0.1:$SIM_PORT/_simulator/stats" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -fs "http://127.0.0.1:$GW_PORT/health/ready" >/dev/null || { echo "gateway did not start"; cat "$WORK/gateway.log"; exit 1; }

field() { sed -E "s/.*\"$1\":\"?([^,\"}]*).*/\1/" <<<"$2"; }

run_case() {
  local mode=$1 rate=${2:-0}
  echo "==> $mode: $CONNECTIONS connections, ${SECONDS_PER_CASE}s (+3s warm-up), rate ${rate} req/s (0 = as fast as answered)" >&2
  java -Xmx512m -cp target/test-classes:target/indicative-gateway.jar io.indicativegateway.bench.LoadGenerator \
    --url "http://127.0.0.1:$GW_PORT" --mode "$mode" --connections "$CONNECTIONS" --rate "$rate" \
    --seconds "$SECONDS_PER_CASE" --write-key "$WRITE_KEY" \
    --stats-url "http://127.0.0.1:$SIM_PORT/_simulator/stats"
}

drain() {
  # let delivery catch up before the next case, so cases do not bleed into each other
  local last=-1 now
  for _ in $(seq 1 120); do
    now=$(curl -fs "http://127.0.0.1:$SIM_PORT/_simulator/stats" | sed -E 's/.*"acceptedEvents":([0-9]+).*/\1/')
    [ "$now" = "$last" ] && return
    last=$now
    sleep 1
  done
}

BATCH=$(run_case batch); drain
TRACK=$(run_case track); drain
SUSTAINED=$(run_case batch $((SUSTAINED_EVENTS_PER_SECOND / 100)))

printf '\n%-22s %12s %14s %18s %9s %9s %s\n' case "requests/s" "accepted ev/s" "at simulator ev/s" "p50 ms" "p99 ms" statuses
for result in "$BATCH" "$TRACK" "$SUSTAINED"; do
  mode=$(field mode "$result")
  rate=$(field targetRate "$result")
  label=$([ "$mode" = batch ] && echo "/v1/batch x100" || echo "/v1/track")
  [ "$rate" != "0" ] && label="$label @${rate}/s"
  printf '%-22s %12s %14s %18s %9s %9s %s\n' "$label" "$(field requestsPerSecond "$result")" \
    "$(field eventsPerSecond "$result")" "$(field deliveredPerSecond "$result")" "$(field p50ms "$result")" \
    "$(field p99ms "$result")" "$(sed -E 's/.*"statuses":(\{[^}]*\}).*/\1/' <<<"$result")"
done
echo
echo "raw: $BATCH"
echo "raw: $TRACK"
echo "raw: $SUSTAINED"
