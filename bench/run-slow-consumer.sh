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
SET_DIR=${BENCH_SET_DIR:-"$BENCH_DIR/target/runs/$(date -u +%Y%m%dT%H%M%SZ)-slow-consumer-$1x$2x$3"}
mkdir -p "$SET_DIR/baseline" "$SET_DIR/stalled"
export HERMES_BENCH_KEY=${HERMES_BENCH_KEY:-bench-key} BENCH_TARGET=hermes
SERVER_PID=$("$BENCH_DIR/servers.sh" pid hermes)
export SERVER_PID

wait_for_idle_hermes() {
  for ((i = 0; i < 90; i++)); do
    [[ $(curl -s -m 2 "http://127.0.0.1:${BENCH_HERMES_PORT:-8080}/api/v1/events/health" \
      | grep -o '"active_connections":[0-9]*' | cut -d: -f2) == 0 ]] && return 0
    sleep 1
  done
}

for ((run = 1; run <= RUNS; run++)); do
  for kind in baseline stalled; do
    wait_for_idle_hermes
    echo "run $run of $RUNS, $kind: $1 clients x $2 ev/s x $3 s" >&2
    BENCH_STALL=$([[ $kind == stalled ]] && echo 1 || echo 0) BENCH_OUT="$SET_DIR/$kind/run-$run" \
      "$BENCH_DIR/run-fanout.sh" "$@" >/dev/null 2>"$SET_DIR/$kind/run-$run.log" \
      || echo "run $run ($kind) failed; see $SET_DIR/$kind/run-$run.log" >&2
  done
done

medians() {
  cat "$1"/run-*/summary.txt 2>/dev/null | awk '
    $1 != "run" && $2 ~ /^-?[0-9]+(\.[0-9]+)?(E-?[0-9]+)?$/ {
      if (!($1 in count)) order[++keys] = $1
      values[$1, ++count[$1]] = $2 + 0
    }
    END {
      for (k = 1; k <= keys; k++) {
        name = order[k]; n = count[name]
        for (i = 1; i <= n; i++) sorted[i] = values[name, i]
        for (i = 2; i <= n; i++) { v = sorted[i]; for (j = i - 1; j >= 1 && sorted[j] > v; j--) sorted[j + 1] = sorted[j]; sorted[j + 1] = v }
        printf "%s %g\n", name, n % 2 ? sorted[(n + 1) / 2] : (sorted[n / 2] + sorted[n / 2 + 1]) / 2
      }
    }'
}
medians "$SET_DIR/baseline" >"$SET_DIR/baseline.medians"
medians "$SET_DIR/stalled" >"$SET_DIR/stalled.medians"
awk 'NR == FNR { base[$1] = $2; next }
  FNR == 1 { printf "%-26s %12s %12s %9s\n", "figure (median)", "stalled", "baseline", "s/b" }
  { b = ($1 in base) ? base[$1] : "-"
    ratio = ($1 in base && base[$1] != 0) ? sprintf("%.2f", $2 / base[$1]) : "-"
    printf "%-26s %12g %12s %9s\n", $1, $2, b, ratio }' \
  "$SET_DIR/baseline.medians" "$SET_DIR/stalled.medians" | tee "$SET_DIR/medians.txt"
echo "files: $SET_DIR" >&2
