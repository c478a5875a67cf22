#!/usr/bin/env bash
# Polling vs SSE: one dashboard with N active downloads for SECONDS seconds, watched several ways at once:
# the polling client at the old client's intervals, the page in live mode (one stream, as the dashboard
# does it), a stream-only client (the views loaded once, one stream, nothing else, no compression), and
# two stream-snapshot clients (one stream that opens with a snapshot of every view, gzip-compressed; the
# second also asks for at most one progress step per download every BENCH_PROGRESS_INTERVAL ms). With
# Caddy available, a second polling client asks for gzip through the project's Caddyfile (polling-gzip),
# and the report is printed a second time against it.
#
#   bench/run-polling-vs-sse.sh SECONDS
#
# The server must run with HERMES_WORKER_ENABLED=false (bench/server.sh start does that). THE RUN EMPTIES
# ITS REDIS (FLUSHDB) and stores a 30-day history of BENCH_SEED_COUNT finished downloads first, unless
# BENCH_FLUSH=no. Environment (defaults in brackets):
#   BENCH_URL [http://127.0.0.1:18080]     the server
#   BENCH_REDIS [redis://127.0.0.1:16379]  its Redis
#   BENCH_KEY [bench-key]                  an admin API key
#   BENCH_SEED_COUNT [10000]               finished downloads stored before the run (0: none)
#   BENCH_DOWNLOADS [10]                   downloads kept active
#   BENCH_STEP_MS [500]                    progress step of each download (the built-in worker's pace)
#   BENCH_MIN_DURATION / BENCH_MAX_DURATION [120 / 480]  seconds a download takes, uniformly between
#   BENCH_FAIL_RATIO [0.1]                 share of downloads that fail part-way
#   BENCH_TOKEN_TTL [300]                  ttl the live page asks for its stream token (it renews at 80 %)
#   BENCH_TAIL [5]                         seconds at the end of the run left out of the data ages
#   BENCH_PROGRESS_INTERVAL [1000]         progress_interval_ms of the thinned stream-snapshot client
#   BENCH_CADDY [/usr/bin/caddy]           Caddy binary for polling-gzip; "no" (or none installed) skips that client
#   BENCH_CADDY_PORT [18090]               where that Caddy listens
#   SERVER_PID                             the server JVM: its CPU seconds are then reported
#   BENCH_OUT                              directory for the run's files (default bench/target/runs/DATE-polling-vs-sse-S)
set -euo pipefail

if [[ $# -ne 1 ]]; then
  sed -n '2,6p' "$0" >&2
  exit 2
fi
DURATION=$1
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"
JAR="$BENCH_DIR/target/hermes-bench.jar"
URL=${BENCH_URL:-http://127.0.0.1:18080}
REDIS=${BENCH_REDIS:-redis://127.0.0.1:16379}
KEY=${BENCH_KEY:-bench-key}
OUT=${BENCH_OUT:-$BENCH_DIR/target/runs/$(date -u +%Y%m%dT%H%M%SZ)-polling-vs-sse-$DURATION}
mkdir -p "$OUT"

if [[ ! -f "$JAR" ]]; then
  echo "Building $JAR ..." >&2
  (cd "$BENCH_DIR" && mvn -q -B -DskipTests package)
fi
if [[ "$(curl -s -o /dev/null -w '%{http_code}' -m 5 "$URL/api/v1/health")" != 200 ]]; then
  echo "No healthy server at $URL (bench/server.sh start)" >&2
  exit 1
fi

# Streams of an earlier run stay registered until a write to them fails; wait for them to go.
for ((i = 0; i < 90; i++)); do
  open=$(curl -s -m 2 "$URL/api/v1/events/health" | grep -o '"active_connections":[0-9]*' | cut -d: -f2) || true
  [[ "$open" == 0 ]] && break
  sleep 1
done

if [[ "${BENCH_FLUSH:-yes}" != no ]]; then
  redis-cli -u "$REDIS" FLUSHDB >/dev/null
  if [[ "${BENCH_SEED_COUNT:-10000}" -gt 0 ]]; then
    java -cp "$JAR" io.hermes.bench.SeedDownloads --redis "$REDIS" --count "${BENCH_SEED_COUNT:-10000}" \
      --profile history >"$OUT/seed.txt"
  fi
fi

{
  echo "date    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "uptime  $(uptime)"
  top -bn1 | sed -n '7,14p'
} >"$OUT/machine.txt"
start_load_sampler "$OUT/load.samples"
load_sampler=$LOAD_SAMPLER

pids=("$load_sampler")
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

# Caddy with the project's Caddyfile in front of the server, for a polling client whose JSON answers come
# gzip-compressed, as a browser's do behind it.
CADDY=${BENCH_CADDY:-/usr/bin/caddy}
CADDY_URL=
if [[ "$CADDY" != no && -x "$CADDY" ]]; then
  caddy_port=${BENCH_CADDY_PORT:-18090}
  mkdir -p "$OUT/caddy-home"
  HOME="$OUT/caddy-home" XDG_DATA_HOME="$OUT/caddy-home/data" XDG_CONFIG_HOME="$OUT/caddy-home/config" \
    HERMES_SITE=":$caddy_port" HERMES_UPSTREAM="${URL#http://}" HERMES_CADDY_ADMIN=off \
    "$CADDY" run --config "$BENCH_DIR/../Caddyfile" --adapter caddyfile </dev/null >"$OUT/caddy.log" 2>&1 &
  pids+=("$!")
  for ((i = 0; i < 100; i++)); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' -m 2 "http://127.0.0.1:$caddy_port/api/v1/health")" == 200 ]] && break
    sleep 0.1
  done
  CADDY_URL="http://127.0.0.1:$caddy_port"
  "$CADDY" version >"$OUT/caddy.version"
fi

# The simulator outlives the clients by 10 s, so the last states they could see were all written.
java -cp "$JAR" io.hermes.bench.DownloadSimulator --url "$URL" --key "$KEY" --redis "$REDIS" \
  --downloads "${BENCH_DOWNLOADS:-10}" --step-ms "${BENCH_STEP_MS:-500}" --seconds $((DURATION + 10)) \
  --min-duration "${BENCH_MIN_DURATION:-120}" --max-duration "${BENCH_MAX_DURATION:-480}" \
  --fail-ratio "${BENCH_FAIL_RATIO:-0.1}" --log "$OUT/updates.tsv" --ready-file "$OUT/ready" \
  >"$OUT/simulator.txt" 2>"$OUT/simulator.log" &
simulator=$!
pids+=("$simulator")
for ((i = 0; i < 600; i++)); do
  [[ -f "$OUT/ready" ]] && break
  if ! kill -0 "$simulator" 2>/dev/null; then
    echo "The simulator exited before it was ready:" >&2
    cat "$OUT/simulator.log" >&2
    exit 1
  fi
  sleep 0.1
done
[[ -f "$OUT/ready" ]] || { echo "The simulator was not ready within 60 s" >&2; exit 1; }

clock_ticks=$(getconf CLK_TCK)
cpu_seconds() { awk -v t="$clock_ticks" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$1/stat"; }
[[ -n "${SERVER_PID:-}" ]] && server_cpu_before=$(cpu_seconds "$SERVER_PID")

common=(--url "$URL" --key "$KEY" --seconds "$DURATION" --out "$OUT")
java -cp "$JAR" io.hermes.bench.PollingDashboard "${common[@]}" --name polling >"$OUT/polling.txt" 2>&1 &
polling=$!
java -cp "$JAR" io.hermes.bench.LiveDashboard "${common[@]}" --mode dashboard --name sse \
  --token-ttl "${BENCH_TOKEN_TTL:-300}" >"$OUT/sse.txt" 2>&1 &
live=$!
java -cp "$JAR" io.hermes.bench.LiveDashboard "${common[@]}" --mode stream-only --name sse-stream-only \
  >"$OUT/sse-stream-only.txt" 2>&1 &
bare=$!
java -cp "$JAR" io.hermes.bench.LiveDashboard "${common[@]}" --mode stream-snapshot --name sse-snapshot-gzip \
  >"$OUT/sse-snapshot-gzip.txt" 2>&1 &
snapshot=$!
thinned_name=sse-snapshot-gzip-$((${BENCH_PROGRESS_INTERVAL:-1000}))ms
java -cp "$JAR" io.hermes.bench.LiveDashboard "${common[@]}" --mode stream-snapshot --name "$thinned_name" \
  --progress-interval-ms "${BENCH_PROGRESS_INTERVAL:-1000}" >"$OUT/$thinned_name.txt" 2>&1 &
thinned=$!
clients=("$polling" "$live" "$bare" "$snapshot" "$thinned")
if [[ -n "$CADDY_URL" ]]; then
  java -cp "$JAR" io.hermes.bench.PollingDashboard --url "$CADDY_URL" --key "$KEY" --seconds "$DURATION" --out "$OUT" \
    --name polling-gzip --accept-encoding gzip >"$OUT/polling-gzip.txt" 2>&1 &
  clients+=("$!")
fi
pids+=("${clients[@]}")
failed=0
for pid in "${clients[@]}"; do wait "$pid" || failed=1; done
[[ -n "${SERVER_PID:-}" ]] && server_cpu_after=$(cpu_seconds "$SERVER_PID")
wait "$simulator" || failed=1
if [[ $failed != 0 ]]; then
  echo "A client or the simulator failed; see $OUT/*.txt and $OUT/simulator.log" >&2
  exit 1
fi

{
  echo "run  polling vs SSE, $DURATION s, ${BENCH_DOWNLOADS:-10} downloads, step ${BENCH_STEP_MS:-500} ms, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  cat "$OUT/simulator.txt"
  [[ -n "${SERVER_PID:-}" ]] && echo "server_cpu_s (all clients) $(awk -v a="$server_cpu_before" -v b="$server_cpu_after" 'BEGIN { printf "%.2f", b - a }')"
  echo
  sse_clients="sse,sse-stream-only,sse-snapshot-gzip,$thinned_name"
  java -cp "$JAR" io.hermes.bench.PollingVsSseReport --dir "$OUT" --tail "${BENCH_TAIL:-5}" --json "$OUT/report.json" \
    --clients "polling,$sse_clients"
  if [[ -n "$CADDY_URL" ]]; then
    echo
    echo "Against a polling client whose JSON answers Caddy gzip-compressed (Accept-Encoding: gzip through the Caddyfile):"
    java -cp "$JAR" io.hermes.bench.PollingVsSseReport --dir "$OUT" --tail "${BENCH_TAIL:-5}" \
      --json "$OUT/report-gzip.json" --clients "polling-gzip,polling,$sse_clients"
  fi
} | tee "$OUT/summary.txt"
echo "files: $OUT" >&2
