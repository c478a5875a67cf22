#!/usr/bin/env bash
# The reconnect storms of issue 19, Hermes and Nchan alternating: for each repeat, each shape and each mode,
# one run against Hermes, then the same against Nchan (bench/run-reconnect-storm.sh).
#
#   bench/run-storms.sh [REPEATS]
#
# REPEATS defaults to 3. Shapes: BENCH_STORM_SHAPES, "STREAMS:RATE ..." (default "10000:0 1000:100": 10,000
# idle streams with a publisher at 1 event/s, and 1,000 streams receiving 100 events/s); modes: restart and
# crash; targets: BENCH_STORM_TARGETS (default "hermes nchan"). Each run starts its target afresh and stops it
# afterwards, so only one server runs at a time; Redis is started when it does not answer, and stopped at the
# end only if this script started it. BENCH_STORM_PAUSE (10) seconds between runs. Everything goes to
# bench/target/runs/DATE-storms/: one directory per run, table.md (a row per run) and medians.md (per target,
# mode and shape, the median of each figure over the repeats), load.txt (what else ran on the machine).
# Other BENCH_* variables pass through to run-reconnect-storm.sh.
set -euo pipefail

REPEATS=${1:-3}
[[ $REPEATS =~ ^[1-9][0-9]*$ ]] || { sed -n '5p' "$0" >&2; exit 2; }
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"
SHAPES=${BENCH_STORM_SHAPES:-10000:0 1000:100}
TARGETS=${BENCH_STORM_TARGETS:-hermes nchan}
PAUSE=${BENCH_STORM_PAUSE:-10}
SERIES=$BENCH_DIR/target/runs/$(date -u +%Y%m%dT%H%M%SZ)-storms
mkdir -p "$SERIES"

started_redis=no
if ! redis-cli -p "${BENCH_REDIS_PORT:-6379}" ping >/dev/null 2>&1; then
  "$BENCH_DIR/servers.sh" start redis
  started_redis=yes
fi
start_load_sampler "$SERIES/load.txt"
finish() {
  kill "$LOAD_SAMPLER" 2>/dev/null || true
  [[ $started_redis == yes ]] && "$BENCH_DIR/servers.sh" stop redis || true
}
trap finish EXIT

header="| target | mode | streams | events | back p99 s | back all s | server up s | listen overflows | lost | duplicated | not back | goals |"
{ echo "$header"; echo "|---|---|---|---|---|---|---|---|---|---|---|---|"; } >"$SERIES/table.md"
run=0
for ((r = 1; r <= REPEATS; r++)); do
  for shape in $SHAPES; do
    streams=${shape%%:*}
    rate=${shape##*:}
    for mode in restart crash; do
      for target in $TARGETS; do
        run=$((run + 1))
        name=$(printf 'run-%02d-%s-%s-%s-%s' "$run" "$target" "$mode" "$streams" "$rate")
        echo "== $name (repeat $r of $REPEATS)" >&2
        if BENCH_OUT="$SERIES/$name" "$BENCH_DIR/run-reconnect-storm.sh" "$target" "$mode" "$streams" "$rate" \
          >"$SERIES/$name.out" 2>&1; then
          cat "$SERIES/$name/row.md" >>"$SERIES/table.md"
        else
          echo "| $target | $mode | $streams | $rate/s | failed: see $name.out |||||||| |" >>"$SERIES/table.md"
          tail -5 "$SERIES/$name.out" >&2
        fi
        tail -1 "$SERIES/table.md" >&2
        sleep "$PAUSE"
      done
    done
  done
done

# Medians per target, mode and shape; "never" (not every client came back) sorts above every number.
{
  echo "| target | mode | streams | rate | runs | back p99 s | back all s | server up s | listen overflows | lost | duplicated | not back |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  for shape in $SHAPES; do
    streams=${shape%%:*}
    rate=${shape##*:}
    for mode in restart crash; do
      for target in $TARGETS; do
        cat "$SERIES"/run-*-"$target-$mode-$streams-$rate"/summary.txt 2>/dev/null | awk \
          -v head="| $target | $mode | $streams | $rate |" '
          function median(name,    n, i, j, v, s) {
            n = count[name]
            if (n == 0) return "-"
            for (i = 1; i <= n; i++) s[i] = values[name, i]
            for (i = 2; i <= n; i++) { v = s[i]; for (j = i - 1; j >= 1 && s[j] > v; j--) s[j + 1] = s[j]; s[j + 1] = v }
            v = n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2
            return v >= 1e18 ? "never" : v
          }
          $1 == "run" { runs++ }
          $1 ~ /^(back_s_p99|back_s_all|server_up_s|kernel_listen_overflows|deliveries_lost|duplicates|clients_not_back)$/ {
            values[$1, ++count[$1]] = ($2 == "never") ? 1e18 : $2 + 0
          }
          END {
            if (runs == 0) exit
            printf "%s %d | %s | %s | %s | %s | %s | %s | %s |\n", head, runs, median("back_s_p99"), median("back_s_all"),
              median("server_up_s"), median("kernel_listen_overflows"), median("deliveries_lost"), median("duplicates"),
              median("clients_not_back")
          }'
      done
    done
  done
} >"$SERIES/medians.md"
cp "$BENCH_DIR/target/servers/hermes.version" "$SERIES/" 2>/dev/null || true
cat "$SERIES/table.md"
echo
cat "$SERIES/medians.md"
echo "files: $SERIES" >&2
