#!/usr/bin/env bash
# Saturation: CLIENTS streams, the event rate rising run by run, against Hermes and Nchan alternately.
# A rate is clean for a server when every stream got every event (0 lost, none failed or ended early),
# delivery latency p99 ≤ 1000 ms, and the publisher actually offered the rate (achieved ≥ 98 % of it:
# a synchronous publisher that falls behind has not tested the rate).
#
#   bench/run-saturation.sh CLIENTS SECONDS RATE [RATE ...]
#
# Both servers running (bench/servers.sh start all). One run per rate and server (run-compare.sh 1 …).
set -euo pipefail

if [[ $# -lt 3 ]]; then
  sed -n '7p' "$0" >&2
  exit 2
fi
CLIENTS=$1
DURATION=$2
shift 2
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
SET_DIR=${BENCH_SET_DIR:-"$BENCH_DIR/target/runs/$(date -u +%Y%m%dT%H%M%SZ)-saturation-${CLIENTS}x${DURATION}"}
mkdir -p "$SET_DIR"

figure() { awk -v f="$2" '$1 == f { print $2 }' "$1"; }
verdict() { # SUMMARY RATE -> "lost p50 p99 achieved cpu clean|-"
  local s=$1 rate=$2 lost p50 p99 achieved failed ended cpu clean
  lost=$(figure "$s" deliveries_lost); p50=$(figure "$s" latency_ms_p50); p99=$(figure "$s" latency_ms_p99)
  achieved=$(figure "$s" publisher_achieved_rate); failed=$(figure "$s" clients_failed)
  ended=$(figure "$s" clients_ended_early); cpu=$(figure "$s" server_cpu_s)
  clean=$(awk -v l="$lost" -v p="$p99" -v a="$achieved" -v r="$rate" -v f="$failed" -v e="$ended" \
    'BEGIN { print (l == 0 && f == 0 && e == 0 && p <= 1000 && a >= 0.98 * r) ? "clean" : "-" }')
  echo "$lost $p50 $p99 $achieved $cpu $clean"
}

printf "%-6s | %-46s | %-46s\n" "" "hermes: lost p50 p99 achieved cpu" "nchan: lost p50 p99 achieved cpu" | tee "$SET_DIR/table.txt"
for rate in "$@"; do
  BENCH_SET_DIR="$SET_DIR/rate-$rate" "$BENCH_DIR/run-compare.sh" 1 "$CLIENTS" "$rate" "$DURATION" >/dev/null 2>&1 || true
  h=$(verdict "$SET_DIR/rate-$rate/hermes/run-1/summary.txt" "$rate" 2>/dev/null || echo "run failed")
  n=$(verdict "$SET_DIR/rate-$rate/nchan/run-1/summary.txt" "$rate" 2>/dev/null || echo "run failed")
  printf "%-6s | %-46s | %-46s\n" "$rate" "$h" "$n" | tee -a "$SET_DIR/table.txt"
done
echo "files: $SET_DIR" >&2
