#!/usr/bin/env bash
# The same fan-out scenario against Hermes and Nchan, alternating (hermes, nchan, hermes, …) so both
# share whatever else the machine is doing, then the median of each figure per server and their ratio.
#
#   bench/run-compare.sh RUNS CLIENTS RATE SECONDS
#
# Both servers must be running (bench/servers.sh start all). Takes run-fanout.sh's environment; sets
# BENCH_TARGET and SERVER_PID itself. Prints medians.txt: figure, Hermes median, Nchan median, ratio.
set -euo pipefail

if [[ $# -ne 4 ]]; then
  sed -n '5p' "$0" >&2
  exit 2
fi
RUNS=$1
shift
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"
SET_DIR=${BENCH_SET_DIR:-"$BENCH_DIR/target/runs/$(date -u +%Y%m%dT%H%M%SZ)-compare-$1x$2x$3"}
mkdir -p "$SET_DIR"
export HERMES_BENCH_KEY=${HERMES_BENCH_KEY:-bench-key}

for ((run = 1; run <= RUNS; run++)); do
  for target in hermes nchan; do
    wait_for_idle_hermes
    echo "run $run of $RUNS, $target: $1 clients x $2 ev/s x $3 s" >&2
    mkdir -p "$SET_DIR/$target"
    BENCH_TARGET=$target SERVER_PID=$("$BENCH_DIR/servers.sh" pid $target) BENCH_OUT="$SET_DIR/$target/run-$run" \
      "$BENCH_DIR/run-fanout.sh" "$@" >/dev/null 2>"$SET_DIR/$target/run-$run.log" \
      || echo "run $run of $target failed; see $SET_DIR/$target/run-$run.log" >&2
  done
done

medians "$SET_DIR/hermes" >"$SET_DIR/hermes.medians"
medians "$SET_DIR/nchan" >"$SET_DIR/nchan.medians"
ratio_table "$SET_DIR/hermes.medians" "$SET_DIR/nchan.medians" hermes nchan | tee "$SET_DIR/medians.txt"
echo "files: $SET_DIR" >&2
