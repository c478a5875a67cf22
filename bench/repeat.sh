#!/usr/bin/env bash
# Runs one fan-out scenario several times and prints, for every numeric figure, the median, the lowest
# and the highest across the runs: one run on a shared 2-core machine is an anecdote, the median is not.
#
#   bench/repeat.sh RUNS CLIENTS RATE SECONDS
#
# Takes the same environment as run-fanout.sh. Each run's files stay in bench/target/runs/.
set -euo pipefail

if [[ $# -ne 4 ]]; then
  sed -n '5p' "$0" >&2
  exit 2
fi
RUNS=$1
shift
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
SET_DIR=${BENCH_SET_DIR:-"$BENCH_DIR/target/runs/$(date -u +%Y%m%dT%H%M%SZ)-repeat-${BENCH_TARGET:-hermes}-$1x$2x$3"}
mkdir -p "$SET_DIR"

# The server notices that a client went away only when a write to it fails, i.e. at the next heartbeat
# or event. Until then the previous run's streams still hold slots and would be written to by this
# run's first events, so each run starts only once the server reports no open streams (bounded wait).
URL=${HERMES_BENCH_URL:-http://127.0.0.1:8080/api/v1/events/stream?channels=queue}
HEALTH_URL="${URL%%/events/*}/events/health"
wait_for_idle_server() {
  local open=""
  # Nginx sees a closed subscriber at once; only our server waits for a write to fail.
  [[ ${BENCH_TARGET:-hermes} == nchan ]] && return 0
  for ((i = 0; i < 90; i++)); do
    open=$(curl -s -m 2 "$HEALTH_URL" | grep -o '"active_connections":[0-9]*' | cut -d: -f2) || true
    [[ "$open" == 0 ]] && return 0
    sleep 1
  done
  echo "warning: the server still reports ${open:-an unknown number of} open streams; starting anyway" >&2
}

for ((run = 1; run <= RUNS; run++)); do
  wait_for_idle_server
  echo "run $run of $RUNS: $1 clients x $2 ev/s x $3 s" >&2
  BENCH_OUT="$SET_DIR/run-$run" "$BENCH_DIR/run-fanout.sh" "$@" >/dev/null
done

cat "$SET_DIR"/run-*/summary.txt | awk -v runs="$RUNS" '
  $1 != "run" && $2 ~ /^-?[0-9]+(\.[0-9]+)?(E-?[0-9]+)?$/ {
    if (!($1 in count)) order[++keys] = $1
    values[$1, ++count[$1]] = $2 + 0
  }
  END {
    printf "%-26s %12s %12s %12s   (%d runs)\n", "figure", "median", "min", "max", runs
    for (k = 1; k <= keys; k++) {
      name = order[k]; n = count[name]
      for (i = 1; i <= n; i++) sorted[i] = values[name, i]
      for (i = 2; i <= n; i++) { v = sorted[i]; for (j = i - 1; j >= 1 && sorted[j] > v; j--) sorted[j + 1] = sorted[j]; sorted[j + 1] = v }
      median = n % 2 ? sorted[(n + 1) / 2] : (sorted[n / 2] + sorted[n / 2 + 1]) / 2
      printf "%-26s %12g %12g %12g\n", name, median, sorted[1], sorted[n]
    }
  }' | tee "$SET_DIR/medians.txt"
echo "files: $SET_DIR" >&2
