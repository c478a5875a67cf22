#!/usr/bin/env bash
# Fan-out benchmark: CLIENTS SSE streams receive RATE queue_update events/s for SECONDS seconds.
#
#   bench/run-fanout.sh CLIENTS RATE SECONDS
#
# The server must already be running (see bench/README.md). Optional environment:
#   HERMES_BENCH_URL    stream URL      (default http://127.0.0.1:8080/api/v1/events/stream?channels=queue)
#   HERMES_BENCH_REDIS  Redis URL       (default redis://127.0.0.1:6379, the server's Redis)
#   HERMES_BENCH_KEY    API key sent as a Bearer header (default dev-admin-key, which `mvn jetty:run`
#                       accepts unless HERMES_API_KEYS is set; set it empty to send no header)
#   BENCH_TARGET        hermes (default) or nchan: which server, with its URLs, event name and publish path
#   SERVER_PID          the server's pid, or comma-separated pids (nginx master and workers): their RSS
#                       and CPU time are then reported (`bench/servers.sh pid hermes|nchan` prints them)
#   BENCH_STALL         clients that stop reading once connected (default 0; the slow-consumer scenario)
#   BENCH_THREADS       generator event-loop threads (default 1)
#   BENCH_BIND          comma-separated local addresses to connect from (127.0.0.2,...), past 28k ports
#   BENCH_MAX_PENDING   handshakes in flight at once (default 32: below the 50-deep accept queue of `mvn jetty:run`)
#   BENCH_GRACE         seconds to wait for stragglers after the last publish (default 5)
#   BENCH_REPLAY_SIZE   the server's HERMES_SSE_REPLAY_SIZE, for the publisher's XADD MAXLEN (default 10000)
#   BENCH_JAVA_OPTS     JVM options for generator and publisher
#   BENCH_OUT           directory for this run's files (default bench/target/runs/DATE-CxRxS)
set -euo pipefail

if [[ $# -ne 3 ]]; then
  sed -n '2,4p' "$0" >&2
  exit 2
fi
CLIENTS=$1
RATE=$2
DURATION=$3 # not SECONDS: bash gives that name a meaning of its own

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
JAR="$BENCH_DIR/target/hermes-bench.jar"
TARGET=${BENCH_TARGET:-hermes}
REDIS=${HERMES_BENCH_REDIS:-redis://127.0.0.1:6379}
case $TARGET in
  hermes)
    URL=${HERMES_BENCH_URL:-http://127.0.0.1:8080/api/v1/events/stream?channels=queue}
    KEY=${HERMES_BENCH_KEY-dev-admin-key}
    publish_to=(--redis "$REDIS" --replay-size "${BENCH_REPLAY_SIZE:-10000}") ;;
  nchan)
    # A channel of its own per run, so no message of an earlier run is ever in its buffer.
    channel=bench-$(date +%s%N)
    NCHAN=${BENCH_NCHAN_URL:-http://127.0.0.1:8090}
    URL="$NCHAN/sub?id=$channel"
    KEY=""
    publish_to=(--nchan "$NCHAN/pub?id=$channel") ;;
  *) echo "BENCH_TARGET must be hermes or nchan" >&2; exit 2 ;;
esac
GRACE=${BENCH_GRACE:-5}
OUT=${BENCH_OUT:-$BENCH_DIR/target/runs/$(date -u +%Y%m%dT%H%M%SZ)-$TARGET-${CLIENTS}x${RATE}x${DURATION}}
# shellcheck disable=SC2206 # word splitting of the options is intended
JAVA_OPTS=(${BENCH_JAVA_OPTS:-})

if [[ ! -f "$JAR" ]]; then
  echo "Building $JAR ..." >&2
  (cd "$BENCH_DIR" && mvn -q -B -DskipTests package)
fi
mkdir -p "$OUT"

generator_args=(--url "$URL" --clients "$CLIENTS" --threads "${BENCH_THREADS:-1}"
  --max-pending "${BENCH_MAX_PENDING:-32}" --grace "$GRACE"
  --ready-file "$OUT/ready" --expect-file "$OUT/expected" --json "$OUT/generator.json"
  --max-seconds $((DURATION + 600)) --dialect "$TARGET" --stall "${BENCH_STALL:-0}")
[[ -n "${BENCH_BIND:-}" ]] && generator_args+=(--bind "$BENCH_BIND")
[[ -n "$KEY" ]] && generator_args+=(--bearer "$KEY")

java "${JAVA_OPTS[@]}" -cp "$JAR" io.hermes.bench.LoadGenerator "${generator_args[@]}" \
  >"$OUT/generator.txt" 2>"$OUT/generator.log" &
generator=$!

sampler=""
heap_sampler=""
cleanup() {
  [[ -n "$sampler" ]] && kill "$sampler" 2>/dev/null || true
  [[ -n "$heap_sampler" ]] && kill "$heap_sampler" 2>/dev/null || true
  kill "$generator" 2>/dev/null || true
}
trap cleanup EXIT

# Wait (bounded) until every stream is connected or has failed.
ready_limit=$((60 + CLIENTS / 50))
for ((waited = 0; waited < ready_limit * 10; waited++)); do
  [[ -f "$OUT/ready" ]] && break
  if ! kill -0 "$generator" 2>/dev/null; then
    echo "The load generator exited before it was ready:" >&2
    cat "$OUT/generator.log" >&2
    exit 1
  fi
  sleep 0.1
done
if [[ ! -f "$OUT/ready" ]]; then
  echo "Streams were not all settled within ${ready_limit}s" >&2
  exit 1
fi
echo "streams: $(cat "$OUT/ready")" >&2

# Server memory and CPU, when we know its pid: sampled in the background, bounded like everything else.
clock_ticks=$(getconf CLK_TCK)
# Summed over the comma-separated pids in $1.
proc_files() { local pid; for pid in ${1//,/ }; do echo "/proc/$pid/$2"; done; }
# shellcheck disable=SC2046 # one file per pid
cpu_seconds() { awk -v t="$clock_ticks" '{ s += $14 + $15 } END { printf "%.2f", s / t }' $(proc_files "$1" stat); }
# shellcheck disable=SC2046
rss_mb() { awk '/^VmRSS:/ { s += $2 } END { printf "%.1f", s / 1024 }' $(proc_files "$1" status); }
# Young and full collections and their total seconds, from jstat (part of the JDK), or nothing.
gc_counts() {
  [[ $1 == *,* ]] && return 0
  command -v jstat >/dev/null 2>&1 || return 0
  jstat -gcutil "$1" 2>/dev/null | awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
    NR == 2 { print $col["YGC"] + $col["FGC"], $col["GCT"] }'
}
if [[ -n "${SERVER_PID:-}" ]]; then
  gc_before=$(gc_counts "$SERVER_PID")
  rss_before=$(rss_mb "$SERVER_PID")
  cpu_before=$(cpu_seconds "$SERVER_PID")
  (
    for ((i = 0; i < (DURATION + GRACE + 60) * 2; i++)); do
      rss_mb "$SERVER_PID" >>"$OUT/rss.samples" 2>/dev/null || exit 0
      echo >>"$OUT/rss.samples"
      sleep 0.5
    done
  ) &
  sampler=$!
  # Heap in use, once a second, from one jstat process (a JVM of its own, so not one per sample).
  if [[ $SERVER_PID != *,* ]] && command -v jstat >/dev/null 2>&1; then
    jstat -gc "$SERVER_PID" 1000 >"$OUT/heap.samples" 2>/dev/null &
    heap_sampler=$!
  fi
fi

java "${JAVA_OPTS[@]}" -cp "$JAR" io.hermes.bench.Publisher "${publish_to[@]}" --rate "$RATE" --seconds "$DURATION" \
  --count-file "$OUT/expected" >"$OUT/publisher.txt"

wait "$generator" || { echo "The load generator failed:" >&2; cat "$OUT/generator.log" >&2; exit 1; }

{
  echo "run                        $TARGET: ${CLIENTS} clients x ${RATE} ev/s x ${DURATION} s, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  cat "$OUT/generator.txt" "$OUT/publisher.txt"
  if [[ -n "${SERVER_PID:-}" ]]; then
    kill "$sampler" 2>/dev/null || true
    sampler=""
    echo "server_rss_mb_before       $rss_before"
    echo "server_rss_mb_peak         $(sort -n "$OUT/rss.samples" | tail -1)"
    echo "server_rss_mb_after        $(rss_mb "$SERVER_PID")"
    echo "server_cpu_s               $(awk -v a="$cpu_before" -v b="$(cpu_seconds "$SERVER_PID")" 'BEGIN { printf "%.2f", b - a }')"
    if [[ -n "$heap_sampler" ]]; then
      kill "$heap_sampler" 2>/dev/null || true
      heap_sampler=""
      # Used heap = survivor + eden + old used columns, in MB; the highest sample of the run.
      echo "server_heap_used_mb_max    $(awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        $1 ~ /^[0-9.]+$/ { u = $col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"]; if (u > m) m = u }
        END { printf "%.1f", m / 1024 }' "$OUT/heap.samples")"
    fi
    gc_after=$(gc_counts "$SERVER_PID")
    if [[ -n "$gc_before" && -n "$gc_after" ]]; then
      read -r collections_before gc_seconds_before <<<"$gc_before"
      read -r collections_after gc_seconds_after <<<"$gc_after"
      echo "server_gc_collections      $((collections_after - collections_before))"
      echo "server_gc_s                $(awk -v a="$gc_seconds_before" -v b="$gc_seconds_after" 'BEGIN { printf "%.3f", b - a }')"
    fi
  fi
} | tee "$OUT/summary.txt"
echo "files: $OUT" >&2
