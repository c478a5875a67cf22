#!/usr/bin/env bash
# Fan-out A/B of two Hermes WARs on the same machine: per round, each WAR gets a freshly started server,
# a 20 s warm-up and MEASURED runs of 1000 clients × 100 events/s × 30 s, 3 s apart on the same process.
#
#   bench/run-ab.sh ROUNDS MEASURED WAR_A WAR_B
#
# Redis must be running (bench/servers.sh start redis); Hermes is restarted for every WAR. Prints one line
# per measured run: round, WAR, run, loss, latency p50 / p99, server and generator CPU. To compare two
# container configurations of one WAR instead, pass the same WAR twice and set BENCH_JETTY_ARGS_A and
# BENCH_JETTY_ARGS_B (Jetty properties for servers.sh's BENCH_JETTY_ARGS).
set -euo pipefail

if [[ $# -ne 4 ]]; then
  sed -n '5p' "$0" >&2
  exit 2
fi
ROUNDS=$1
MEASURED=$2
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
export HERMES_BENCH_KEY=${HERMES_BENCH_KEY:-bench-key}

for ((round = 1; round <= ROUNDS; round++)); do
  for label in A B; do
    war=$3
    jetty_args=${BENCH_JETTY_ARGS_A:-}
    if [[ $label == B ]]; then
      war=$4
      jetty_args=${BENCH_JETTY_ARGS_B:-}
    fi
    "$BENCH_DIR/servers.sh" stop hermes >/dev/null 2>&1
    BENCH_WAR=$war BENCH_JETTY_ARGS=$jetty_args "$BENCH_DIR/servers.sh" start hermes >/dev/null
    SERVER_PID=$("$BENCH_DIR/servers.sh" pid hermes)
    export SERVER_PID
    "$BENCH_DIR/run-fanout.sh" 1000 100 20 >/dev/null 2>&1 || true
    for ((run = 1; run <= MEASURED; run++)); do
      sleep 3
      figures=$("$BENCH_DIR/run-fanout.sh" 1000 100 30 2>&1 | awk '/^(deliveries_lost|latency_ms_p50|latency_ms_p99|server_cpu_s|generator_cpu_s) / {
        printf "%s=%s ", $1, $2 }')
      echo "round=$round war=$label run=$run $figures"
    done
  done
done
"$BENCH_DIR/servers.sh" stop hermes >/dev/null 2>&1
