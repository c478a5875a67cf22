#!/usr/bin/env bash
# Slow consumer: the same Hermes fan-out run with and without one client that stops reading once
# connected (it has a 4 KiB receive buffer, so the server sees the stall within the run). Runs alternate
# (baseline, stalled, baseline, …); prints the medians of both and their ratio. The stalled client should
# be cut off (clients_stalled_cut_off 1), the other streams' p99 stay within 10 %, the heap bounded.
#
#   bench/run-slow-consumer.sh RUNS CLIENTS RATE SECONDS
#
# Hermes running (bench/servers.sh start redis; bench/servers.sh start hermes).
set -euo pipefail

if [[ $# -ne 4 ]]; then
  sed -n '7p' "$0" >&2
  exit 2
fi
RUNS=$1
shift
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"
SET_DIR=${BENCH_SET_DIR:-"$BENCH_DIR/target/runs/$(date -u +%Y%m%dT%H%M%SZ)-slow-consumer-$1x$2x$3"}
mkdir -p "$SET_DIR/baseline" "$SET_DIR/stalled"
export HERMES_BENCH_KEY=${HERMES_BENCH_KEY:-bench-key} BENCH_TARGET=hermes
SERVER_PID=$("$BENCH_DIR/servers.sh" pid hermes)
export SERVER_PID


for ((run = 1; run <= RUNS; run++)); do
  for kind in baseline stalled; do
    wait_for_idle_hermes
    echo "run $run of $RUNS, $kind: $1 clients x $2 ev/s x $3 s" >&2
    BENCH_STALL=$([[ $kind == stalled ]] && echo 1 || echo 0) BENCH_OUT="$SET_DIR/$kind/run-$run" \
      "$BENCH_DIR/run-fanout.sh" "$@" >/dev/null 2>"$SET_DIR/$kind/run-$run.log" \
      || echo "run $run ($kind) failed; see $SET_DIR/$kind/run-$run.log" >&2
  done
done

medians "$SET_DIR/baseline" >"$SET_DIR/baseline.medians"
medians "$SET_DIR/stalled" >"$SET_DIR/stalled.medians"
ratio_table "$SET_DIR/stalled.medians" "$SET_DIR/baseline.medians" stalled baseline | tee "$SET_DIR/medians.txt"
echo "files: $SET_DIR" >&2
