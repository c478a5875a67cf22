#!/usr/bin/env bash
# Polling endpoints under load: wrk with keep-alive against queue, stats, timeline and storage with
# 10,000 stored downloads, each as a plain GET (200) and with If-None-Match of its current ETag (304).
#
#   bench/run-polling-endpoints.sh [RUNS [SECONDS]]      (default 3 runs of 15 s per variant)
#
# Runs are interleaved (run 1 of every variant, then run 2 …) so that a noisy moment on the shared
# machine does not land on one endpoint only. The server must run with HERMES_WORKER_ENABLED=false
# (bench/server.sh start). THE SCRIPT EMPTIES ITS REDIS (FLUSHDB) and seeds 10,000 downloads first,
# unless BENCH_SEED=no. Environment (defaults in brackets):
#   BENCH_URL [http://127.0.0.1:18080]  BENCH_REDIS [redis://127.0.0.1:16379]  BENCH_KEY [bench-key]
#   BENCH_THREADS [2]  BENCH_CONNECTIONS [32]   wrk's -t and -c
#   BENCH_WARMUP [10]                           seconds of wrk per variant before the measured runs
#   BENCH_ENDPOINTS                             "label=path …" to measure other paths
#   SERVER_PID                                  the server JVM: CPU per request is then reported
#   BENCH_OUT                                   directory for the files (default bench/target/runs/DATE-endpoints)
set -euo pipefail

RUNS=${1:-3}
DURATION=${2:-15}
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"
JAR="$BENCH_DIR/target/hermes-bench.jar"
URL=${BENCH_URL:-http://127.0.0.1:18080}
REDIS=${BENCH_REDIS:-redis://127.0.0.1:16379}
KEY=${BENCH_KEY:-bench-key}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
WARMUP=${BENCH_WARMUP:-10}
OUT=${BENCH_OUT:-$BENCH_DIR/target/runs/$(date -u +%Y%m%dT%H%M%SZ)-endpoints}
# The paths the dashboard polls (webapp/js/main.js), and the queue's default page for comparison.
ENDPOINTS=${BENCH_ENDPOINTS:-"queue=/api/v1/queue?limit=50 queue-default=/api/v1/queue stats=/api/v1/stats?period=week timeline=/api/v1/timeline?period=week storage=/api/v1/storage"}
mkdir -p "$OUT"

if [[ ! -f "$JAR" ]]; then
  (cd "$BENCH_DIR" && mvn -q -B -DskipTests package)
fi
if [[ "$(curl -s -o /dev/null -w '%{http_code}' -m 5 "$URL/api/v1/health")" != 200 ]]; then
  echo "No healthy server at $URL (bench/server.sh start)" >&2
  exit 1
fi
if [[ "${BENCH_SEED:-yes}" != no ]]; then
  redis-cli -u "$REDIS" FLUSHDB >/dev/null
  java -cp "$JAR" io.hermes.bench.SeedDownloads --redis "$REDIS" --count 10000 --profile mixed | tee "$OUT/seed.txt"
fi

clock_ticks=$(getconf CLK_TCK)
cpu_seconds() { awk -v t="$clock_ticks" '{ printf "%.3f", ($14 + $15) / t }' "/proc/$1/stat"; }
# Redis's own CPU, when it runs on this machine (its pid from INFO).
REDIS_PID=$(redis-cli -u "$REDIS" info server 2>/dev/null | tr -d '\r' | awk -F: '$1 == "process_id" { print $2 }')
[[ -n "$REDIS_PID" && -r "/proc/$REDIS_PID/stat" ]] || REDIS_PID=""
etag_of() {
  curl -s -D - -o /dev/null -H "Authorization: Bearer $KEY" "$URL$1" | tr -d '\r' | awk 'tolower($1) == "etag:" { print $2 }'
}

# One wrk run; LABEL.wrk gets wrk's output, LABEL.cpu the CPU seconds of the server, Redis and wrk.
measure() { # label seconds path [etag]
  local label=$1 seconds=$2 path=$3 etag=${4:-}
  local args=(-t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --latency -H "Authorization: Bearer $KEY")
  [[ -n "$etag" ]] && args+=(-H "If-None-Match: $etag")
  echo "wrk ${args[*]} $URL$path" >>"$OUT/commands.txt"
  local before="" redis_before=""
  [[ -n "${SERVER_PID:-}" ]] && before=$(cpu_seconds "$SERVER_PID")
  [[ -n "$REDIS_PID" ]] && redis_before=$(cpu_seconds "$REDIS_PID")
  /usr/bin/time -f 'wrk_cpu_s %e %U %S' -o "$OUT/$label.time" wrk "${args[@]}" "$URL$path" >"$OUT/$label.wrk"
  {
    [[ -n "$before" ]] && echo "server_cpu_s $(awk -v a="$before" -v b="$(cpu_seconds "$SERVER_PID")" 'BEGIN { printf "%.3f", b - a }')"
    [[ -n "$redis_before" ]] && echo "redis_cpu_s $(awk -v a="$redis_before" -v b="$(cpu_seconds "$REDIS_PID")" 'BEGIN { printf "%.3f", b - a }')"
    awk '{ printf "wrk_cpu_s %.3f\n", $3 + $4 }' "$OUT/$label.time"
  } >"$OUT/$label.cpu"
}

{
  echo "date    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "uptime  $(uptime)"
  top -bn1 | sed -n '7,16p'
} >"$OUT/machine.txt"
start_load_sampler "$OUT/load.samples"
load_sampler=$LOAD_SAMPLER

trap 'kill "$load_sampler" 2>/dev/null || true' EXIT

declare -A path_of etag_of_label
labels=()
for entry in $ENDPOINTS; do
  label=${entry%%=*}
  path_of[$label]=${entry#*=}
  labels+=("$label")
done

echo "warming up ($WARMUP s per variant) ..." >&2
for label in "${labels[@]}"; do
  etag_of_label[$label]=$(etag_of "${path_of[$label]}")
  [[ -n "${etag_of_label[$label]}" ]] || { echo "no ETag from ${path_of[$label]}" >&2; exit 1; }
  measure "warmup-$label" "$WARMUP" "${path_of[$label]}"
  measure "warmup-$label.304" "$WARMUP" "${path_of[$label]}" "${etag_of_label[$label]}"
done
mkdir -p "$OUT/warmup"
mv "$OUT"/warmup-* "$OUT/warmup/"

for ((run = 1; run <= RUNS; run++)); do
  for label in "${labels[@]}"; do
    echo "run $run of $RUNS: $label" >&2
    measure "$label.run$run" "$DURATION" "${path_of[$label]}"
    # The ETag of the moment: storage's changes whenever the disk's free space does.
    etag=$(etag_of "${path_of[$label]}")
    measure "$label.304.run$run" "$DURATION" "${path_of[$label]}" "$etag"
    after=$(etag_of "${path_of[$label]}")
    [[ "$after" == "$etag" ]] || echo "$label.304.run$run: the ETag changed during the run ($etag -> $after)" >>"$OUT/etag-changes.txt"
  done
done

{
  echo "run  polling endpoints, $RUNS runs of $DURATION s per variant, wrk -t$THREADS -c$CONNECTIONS, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "paths: $ENDPOINTS"
  echo
  java -cp "$JAR" io.hermes.bench.WrkReport --dir "$OUT"
  [[ -f "$OUT/etag-changes.txt" ]] && { echo; cat "$OUT/etag-changes.txt"; }
} | tee "$OUT/summary.txt"
echo "files: $OUT" >&2
