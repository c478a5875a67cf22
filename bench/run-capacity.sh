#!/usr/bin/env bash
# Capacity: STREAMS idle streams opened and held HOLD seconds with heartbeats, no events published.
#
#   bench/run-capacity.sh hermes|nchan STREAMS HOLD
#
# Servers from bench/servers.sh (running). Reports the generator's figures (failures, streams ended early,
# time to response headers) and the server's memory: RSS of its processes before the streams and at the
# end of the hold, and the growth per stream. For Hermes (a JVM with a fixed, pre-touched heap, so heap
# growth cannot show in RSS) it also reports the heap in use after a full GC before and during the hold:
# RSS growth + heap growth is the whole cost of a stream. Optional environment: BENCH_THREADS (2),
# BENCH_BIND (127.0.0.2,127.0.0.3), BENCH_MAX_PENDING (32), HERMES_BENCH_KEY (bench-key), BENCH_OUT.
set -euo pipefail

if [[ $# -ne 3 ]]; then
  sed -n '2,4p' "$0" >&2
  exit 2
fi
TARGET=$1
STREAMS=$2
HOLD=$3
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
JAR="$BENCH_DIR/target/hermes-bench.jar"
OUT=${BENCH_OUT:-$BENCH_DIR/target/runs/$(date -u +%Y%m%dT%H%M%SZ)-capacity-$TARGET-$STREAMS}
mkdir -p "$OUT"
[[ -f "$JAR" ]] || (cd "$BENCH_DIR" && mvn -q -B -DskipTests package)

case $TARGET in
  hermes) URL=http://127.0.0.1:${BENCH_HERMES_PORT:-8080}/api/v1/events/stream?channels=queue
    auth=(--bearer "${HERMES_BENCH_KEY:-bench-key}") ;;
  nchan) URL="http://127.0.0.1:${BENCH_NCHAN_PORT:-8090}/sub?id=capacity-$(date +%s%N)"; auth=() ;;
  *) echo "hermes or nchan" >&2; exit 2 ;;
esac
PIDS=$("$BENCH_DIR/servers.sh" pid "$TARGET")

proc_files() { local pid; for pid in ${1//,/ }; do echo "/proc/$pid/$2"; done; }
# shellcheck disable=SC2046
rss_kb() { awk '/^VmRSS:/ { s += $2 } END { print s }' $(proc_files "$PIDS" status); }
# Heap in use after a full collection, in KB (Hermes only).
heap_after_gc_kb() {
  jcmd "$PIDS" GC.run >/dev/null
  jstat -gc "$PIDS" | awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { printf "%d", $col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"] }'
}

rss_before=$(rss_kb)
heap_before=""
[[ $TARGET == hermes ]] && heap_before=$(heap_after_gc_kb)

# Kernel TCP counters over the run (SYNs dropped at a full listen queue, SYNs sent again): a handshake
# that waited for a retransmitted SYN shows in tcp_connect_ms, not in the server.
nstat -n >/dev/null 2>&1 || true
ulimit -n 20000
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of options
java ${BENCH_JAVA_OPTS:-} -cp "$JAR" io.hermes.bench.LoadGenerator --url "$URL" --dialect "$TARGET" "${auth[@]}" \
  --clients "$STREAMS" --threads "${BENCH_THREADS:-2}" --bind "${BENCH_BIND:-127.0.0.2,127.0.0.3}" \
  --max-pending "${BENCH_MAX_PENDING:-32}" --seconds "$HOLD" --ready-file "$OUT/ready" \
  --json "$OUT/generator.json" --max-seconds $((HOLD + 900)) >"$OUT/generator.txt" 2>"$OUT/generator.log" &
generator=$!
trap 'kill $generator 2>/dev/null || true' EXIT

while [[ ! -f "$OUT/ready" ]]; do
  kill -0 "$generator" 2>/dev/null || { cat "$OUT/generator.log" >&2; exit 1; }
  sleep 0.2
done
# Sample the held streams a few seconds before the generator lets them go.
sleep $((HOLD > 8 ? HOLD - 5 : HOLD / 2))
rss_held=$(rss_kb)
heap_held=""
[[ $TARGET == hermes ]] && heap_held=$(heap_after_gc_kb)
open_on_server=""
[[ $TARGET == hermes ]] && open_on_server=$(curl -s "http://127.0.0.1:${BENCH_HERMES_PORT:-8080}/api/v1/events/health" \
  | sed -n 's/.*"active_connections":\([0-9]*\).*/\1/p')
wait "$generator"
trap - EXIT

connected=$(awk '$1 == "clients_connected" { print $2 }' "$OUT/generator.txt")
{
  echo "run                        capacity $TARGET: $STREAMS streams held ${HOLD} s, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  grep -E '^(clients_|connect_phase_s|tcp_connect_ms_|headers_ms_|connected_event_ms_|heartbeats|generator_cpu_s)' "$OUT/generator.txt"
  [[ -n $open_on_server ]] && echo "server_open_streams_held   $open_on_server"
  nstat -z TcpExtListenOverflows TcpExtListenDrops TcpExtTCPSynRetrans 2>/dev/null \
    | awk '/^TcpExt/ { printf "kernel_%-19s %s\n", substr($1, 7), $2 }' || true
  echo "server_rss_mb_before       $(awk -v k="$rss_before" 'BEGIN { printf "%.1f", k / 1024 }')"
  echo "server_rss_mb_held         $(awk -v k="$rss_held" 'BEGIN { printf "%.1f", k / 1024 }')"
  echo "server_rss_kib_per_stream  $(awk -v a="$rss_before" -v b="$rss_held" -v n="$connected" 'BEGIN { printf "%.1f", n ? (b - a) / n : 0 }')"
  if [[ -n $heap_before ]]; then
    echo "server_heap_mb_before_gc   $(awk -v k="$heap_before" 'BEGIN { printf "%.1f", k / 1024 }')"
    echo "server_heap_mb_held_gc     $(awk -v k="$heap_held" 'BEGIN { printf "%.1f", k / 1024 }')"
    echo "server_heap_kib_per_stream $(awk -v a="$heap_before" -v b="$heap_held" -v n="$connected" 'BEGIN { printf "%.1f", n ? (b - a) / n : 0 }')"
  fi
} | tee "$OUT/summary.txt"
