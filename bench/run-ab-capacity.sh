#!/usr/bin/env bash
# Capacity A/B of two Hermes WARs on the same machine, as run-scenarios.sh measures capacity: per round,
# each WAR on a freshly started server, warmed up by a 5 s fan-out of 1000 streams, then 19,000 idle streams
# held 30 s twice on the same process ("fresh", whose memory figures count, and "warm", 35 s later).
#
#   bench/run-ab-capacity.sh ROUNDS WAR_A WAR_B
#
# Redis must be running (bench/servers.sh start redis). Prints one line per measurement: round, WAR, state,
# failures, streams ended early, time to headers p50 / p99, RSS and heap per stream.
set -euo pipefail

if [[ $# -ne 3 ]]; then
  sed -n '6p' "$0" >&2
  exit 2
fi
ROUNDS=$1
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
export HERMES_BENCH_KEY=${HERMES_BENCH_KEY:-bench-key}

for ((round = 1; round <= ROUNDS; round++)); do
  for label in A B; do
    war=$2
    [[ $label == B ]] && war=$3
    "$BENCH_DIR/servers.sh" stop hermes >/dev/null 2>&1
    BENCH_WAR=$war "$BENCH_DIR/servers.sh" start hermes >/dev/null
    SERVER_PID=$("$BENCH_DIR/servers.sh" pid hermes) "$BENCH_DIR/run-fanout.sh" 1000 100 5 >/dev/null 2>&1 || true
    for state in fresh warm; do
      sleep 35 # the previous streams leave Hermes at its next heartbeat or comment
      figures=$("$BENCH_DIR/run-capacity.sh" hermes 19000 30 2>/dev/null | awk '
        /^(clients_failed|clients_ended_early|headers_ms_p50|headers_ms_p99|server_rss_kib_per_stream|server_heap_kib_per_stream) / {
          printf "%s=%s ", $1, $2 }')
      echo "round=$round war=$label state=$state $figures"
    done
  done
done
"$BENCH_DIR/servers.sh" stop hermes >/dev/null 2>&1
