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
SET_DIR=${BENCH_SET_DIR:-"$BENCH_DIR/target/runs/$(date -u +%Y%m%dT%H%M%SZ)-compare-$1x$2x$3"}
mkdir -p "$SET_DIR"
export HERMES_BENCH_KEY=${HERMES_BENCH_KEY:-bench-key}

# Our server notices a departed client at its next write; wait until the last run's streams are gone.
wait_for_idle_hermes() {
  local open=""
  for ((i = 0; i < 90; i++)); do
    open=$(curl -s -m 2 "http://127.0.0.1:${BENCH_HERMES_PORT:-8080}/api/v1/events/health" \
      | grep -o '"active_connections":[0-9]*' | cut -d: -f2) || true
    [[ "$open" == 0 ]] && return 0
    sleep 1
  done
  echo "warning: hermes still reports ${open:-an unknown number of} open streams" >&2
}

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

medians() { # DIR: "figure median" for every numeric figure over the runs in DIR
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
medians "$SET_DIR/hermes" >"$SET_DIR/hermes.medians"
medians "$SET_DIR/nchan" >"$SET_DIR/nchan.medians"
awk 'NR == FNR { nchan[$1] = $2; next }
  FNR == 1 { printf "%-26s %12s %12s %9s\n", "figure (median)", "hermes", "nchan", "h/n" }
  { n = ($1 in nchan) ? nchan[$1] : "-"
    ratio = ($1 in nchan && nchan[$1] != 0) ? sprintf("%.2f", $2 / nchan[$1]) : "-"
    printf "%-26s %12g %12s %9s\n", $1, $2, n, ratio }' \
  "$SET_DIR/nchan.medians" "$SET_DIR/hermes.medians" | tee "$SET_DIR/medians.txt"
echo "files: $SET_DIR" >&2
