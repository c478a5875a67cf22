#!/usr/bin/env bash
# Reconnect storm: STREAMS streams are live, the server is stopped cleanly (restart) or killed (crash) and
# started again at once, while a publisher goes on publishing through Redis. Measures how long until the
# clients are live again, the kernel's listen-queue overflows meanwhile, and per client the events lost or
# received twice across the restart.
#
#   bench/run-reconnect-storm.sh hermes|nchan restart|crash [STREAMS] [RATE]
#
# STREAMS defaults to 10000. RATE is the publisher's events/s; 0 (the default) means idle streams, with the
# publisher at BENCH_IDLE_RATE (1/s) all the same so that loss and duplicates can be counted. The issue's two
# shapes: `... 10000 0` and `... 1000 100`.
#
# Starts Redis through bench/servers.sh unless it answers, and the target afresh (stop, start); stops the
# target at the end unless BENCH_KEEP_SERVER=1. Each client (io.hermes.bench.ReconnectStorm) reconnects as an
# EventSource does: after the last `retry:` its server sent (Nchan sends none: BENCH_DEFAULT_RETRY_MS, 3000,
# a browser's default), with the last event id it received as Last-Event-ID, and tries again after the same
# delay when an attempt is refused or answered with anything but 200.
#
# Optional environment: BENCH_THREADS (2), BENCH_BIND (127.0.0.2,127.0.0.3), BENCH_MAX_PENDING (32, the
# first connections only), BENCH_IDLE_RATE (1), BENCH_BEFORE (5: seconds of publishing before the stop),
# BENCH_AFTER (5: seconds of publishing after every client is back), BENCH_WINDOW (120: longest wait for
# the clients after the stop), BENCH_GRACE (5), BENCH_DEFAULT_RETRY_MS (3000), BENCH_RETRY_MS (3000: the
# server's HERMES_SSE_RETRY_MS, for the goal), BENCH_GOAL_S (3 × BENCH_RETRY_MS + 5 s: the retry, its
# jitter of up to twice the retry, plus 5 s), BENCH_REPLAY_SIZE (10000), BENCH_KEY (bench-key),
# BENCH_REDIS_PORT / BENCH_HERMES_PORT / BENCH_NCHAN_PORT (as servers.sh), BENCH_JAVA_OPTS, BENCH_OUT.
set -euo pipefail

if [[ $# -lt 2 || $# -gt 4 ]]; then
  sed -n '7p' "$0" >&2
  exit 2
fi
TARGET=$1
MODE=$2
STREAMS=${3:-10000}
RATE=${4:-0}
case $TARGET in hermes | nchan) ;; *) echo "TARGET must be hermes or nchan" >&2; exit 2 ;; esac
case $MODE in restart | crash) ;; *) echo "MODE must be restart or crash" >&2; exit 2 ;; esac
[[ $STREAMS =~ ^[1-9][0-9]*$ ]] || { echo "STREAMS must be a positive integer" >&2; exit 2; }
[[ $RATE =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "RATE must be a number of events per second" >&2; exit 2; }

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
JAR="$BENCH_DIR/target/hermes-bench.jar"
SERVERS="$BENCH_DIR/servers.sh"
REDIS_PORT=${BENCH_REDIS_PORT:-6379}
HERMES_PORT=${BENCH_HERMES_PORT:-8080}
NCHAN_PORT=${BENCH_NCHAN_PORT:-8090}
IDLE_RATE=${BENCH_IDLE_RATE:-1}
PUBLISH_RATE=$(awk -v r="$RATE" -v i="$IDLE_RATE" 'BEGIN { print (r > 0 ? r : i) }')
BEFORE=${BENCH_BEFORE:-5}
AFTER=${BENCH_AFTER:-5}
WINDOW=${BENCH_WINDOW:-120}
GRACE=${BENCH_GRACE:-5}
RETRY_MS=${BENCH_RETRY_MS:-3000}
GOAL_S=${BENCH_GOAL_S:-$(awk -v r="$RETRY_MS" 'BEGIN { print 3 * r / 1000 + 5 }')}
shape=$([[ $RATE == 0 ]] && echo idle || echo "${RATE}ev")
OUT=${BENCH_OUT:-$BENCH_DIR/target/runs/$(date -u +%Y%m%dT%H%M%SZ)-storm-$TARGET-$MODE-$STREAMS-$shape}
# shellcheck disable=SC2206 # a list of options
JAVA_OPTS=(${BENCH_JAVA_OPTS:-})
mkdir -p "$OUT"
[[ -f "$JAR" ]] || (cd "$BENCH_DIR" && mvn -q -B -DskipTests package)

now_us() { date +%s%6N; }
seconds_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e6 }'; }
# The namespace's counter, absolute, without touching nstat's history file (other scripts keep one).
kernel_counter() { nstat -asz "$1" 2>/dev/null | awk -v name="$1" '$1 == name { print $2 }'; }
# Gone, or a zombie nobody has reaped yet (a killed server is not our child).
gone() { [[ ! -e /proc/$1 ]] || [[ $(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) == Z ]]; }

if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  "$SERVERS" start redis
fi
echo "starting $TARGET afresh" >&2
"$SERVERS" stop "$TARGET" >>"$OUT/servers.log" 2>&1
"$SERVERS" start "$TARGET" >>"$OUT/servers.log" 2>&1

case $TARGET in
  hermes)
    URL="http://127.0.0.1:$HERMES_PORT/api/v1/events/stream?channels=queue"
    auth=(--bearer "${BENCH_KEY:-bench-key}")
    publish_to=(--redis "redis://127.0.0.1:$REDIS_PORT" --replay-size "${BENCH_REPLAY_SIZE:-10000}") ;;
  nchan)
    # A channel of its own per run, so no message of an earlier run is in its buffer.
    channel=storm-$(date +%s%N)
    URL="http://127.0.0.1:$NCHAN_PORT/sub?id=$channel"
    auth=()
    publish_to=(--nchan "http://127.0.0.1:$NCHAN_PORT/pub?id=$channel") ;;
esac

generator=""
publisher=""
cleanup() {
  [[ -n $publisher ]] && kill "$publisher" 2>/dev/null || true
  [[ -n $generator ]] && kill "$generator" 2>/dev/null || true
  [[ ${BENCH_KEEP_SERVER:-0} == 1 ]] || "$SERVERS" stop "$TARGET" >>"$OUT/servers.log" 2>&1 || true
}
trap cleanup EXIT

ready_timeout=$((60 + STREAMS / 50))
ulimit -n 20000
java "${JAVA_OPTS[@]}" -cp "$JAR" io.hermes.bench.ReconnectStorm --url "$URL" --dialect "$TARGET" "${auth[@]}" \
  --clients "$STREAMS" --threads "${BENCH_THREADS:-2}" --bind "${BENCH_BIND:-127.0.0.2,127.0.0.3}" \
  --max-pending "${BENCH_MAX_PENDING:-32}" --default-retry-ms "${BENCH_DEFAULT_RETRY_MS:-3000}" \
  --ready-file "$OUT/ready" --ready-timeout "$ready_timeout" --stop-file "$OUT/stop-at" --back-file "$OUT/back" \
  --window "$WINDOW" --published-file "$OUT/published.tsv" --published-count "$OUT/published.count" \
  --grace "$GRACE" --max-seconds $((ready_timeout + BEFORE + WINDOW + AFTER + GRACE + 300)) \
  --json "$OUT/storm.json" --clients-file "$OUT/clients.tsv" >"$OUT/storm.txt" 2>"$OUT/storm.log" &
generator=$!

for ((i = 0; i < (ready_timeout + 30) * 10; i++)); do
  [[ -f "$OUT/ready" ]] && break
  kill -0 "$generator" 2>/dev/null || { echo "the clients exited before they were live:" >&2; cat "$OUT/storm.log" >&2; exit 1; }
  sleep 0.1
done
[[ -f "$OUT/ready" ]] || { echo "the clients were not ready within $((ready_timeout + 30)) s" >&2; exit 1; }
echo "streams: $(cat "$OUT/ready")" >&2

java "${JAVA_OPTS[@]}" -cp "$JAR" io.hermes.bench.Publisher "${publish_to[@]}" --rate "$PUBLISH_RATE" --seconds 3600 \
  --stop-file "$OUT/publisher.stop" --log "$OUT/published.tsv" --count-file "$OUT/published.count" \
  >"$OUT/publisher.txt" 2>"$OUT/publisher.log" &
publisher=$!
# BEFORE seconds from the first event, so every client has an event id to resume from.
for ((i = 0; i < 600; i++)); do
  [[ -s "$OUT/published.tsv" ]] && break
  kill -0 "$publisher" 2>/dev/null || { echo "the publisher exited:" >&2; cat "$OUT/publisher.log" >&2; exit 1; }
  sleep 0.1
done
sleep "$BEFORE"

overflows_before=$(kernel_counter TcpExtListenOverflows)
drops_before=$(kernel_counter TcpExtListenDrops)
server_pids=$("$SERVERS" pid "$TARGET")
stop_at=$(now_us)
echo "$stop_at" >"$OUT/stop-at.tmp" && mv "$OUT/stop-at.tmp" "$OUT/stop-at"
echo "$MODE of $TARGET at $stop_at" >&2
case $MODE in
  restart) "$SERVERS" stop "$TARGET" >>"$OUT/servers.log" 2>&1 ;;
  crash)
    for pid in ${server_pids//,/ }; do kill -9 "$pid" 2>/dev/null || true; done
    for pid in ${server_pids//,/ }; do
      for ((i = 0; i < 100; i++)); do gone "$pid" && break; sleep 0.05; done
    done ;;
esac
down_at=$(now_us)
# Started again from the same installation, as systemd or Docker restarting the service would: nothing is
# unpacked or set up again (a fresh `start` would rebuild the Jetty base first, about 1 s more).
"$SERVERS" again "$TARGET" >>"$OUT/servers.log" 2>&1
up_at=$(now_us)
echo "$TARGET down after $(seconds_between "$stop_at" "$down_at") s, answering after $(seconds_between "$stop_at" "$up_at") s" >&2

for ((i = 0; i < (WINDOW + 30) * 10; i++)); do
  [[ -f "$OUT/back" ]] && break
  kill -0 "$generator" 2>/dev/null || break
  sleep 0.1
done
echo "clients: $(cat "$OUT/back" 2>/dev/null || echo 'no answer')" >&2
sleep "$AFTER"
overflows_after=$(kernel_counter TcpExtListenOverflows)
drops_after=$(kernel_counter TcpExtListenDrops)

touch "$OUT/publisher.stop"
wait "$publisher" || { echo "the publisher failed:" >&2; cat "$OUT/publisher.log" >&2; exit 1; }
publisher=""
wait "$generator" || { echo "the clients failed:" >&2; cat "$OUT/storm.log" >&2; exit 1; }
generator=""

figure() { awk -v name="$1" '$1 == name { print $2 }' "$OUT/storm.txt"; }
overflows=n/a
drops=n/a
if [[ -n $overflows_before && -n $overflows_after ]]; then overflows=$((overflows_after - overflows_before)); fi
if [[ -n $drops_before && -n $drops_after ]]; then drops=$((drops_after - drops_before)); fi
back_all=$(figure back_s_all)
lost=$(figure deliveries_lost)
duplicates=$(figure duplicates)
goal_back=$(awk -v b="$back_all" -v g="$GOAL_S" 'BEGIN { print (b ~ /^[0-9.]+$/ && b + 0 <= g) ? "yes" : "no" }')
missed=()
[[ $goal_back == yes ]] || missed+=("back")
[[ $overflows == 0 ]] || missed+=("overflows")
[[ $lost == 0 ]] || missed+=("lost")
[[ $duplicates == 0 ]] || missed+=("duplicated")
goals=$([[ ${#missed[@]} == 0 ]] && echo "all met" || echo "missed: ${missed[*]}")
{
  echo "run                            reconnect-storm $TARGET $MODE: $STREAMS streams, $([[ $RATE == 0 ]] && echo "idle (publisher $PUBLISH_RATE ev/s)" || echo "$RATE ev/s"), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  cat "$OUT/storm.txt"
  echo "server_down_s                  $(seconds_between "$stop_at" "$down_at")"
  echo "server_up_s                    $(seconds_between "$stop_at" "$up_at")"
  echo "kernel_listen_overflows        $overflows"
  echo "kernel_listen_drops            $drops"
  grep -E '^publisher_(events|failures|achieved_rate|lag_ms_p99|lag_ms_max) ' "$OUT/publisher.txt" \
    | awk '{ printf "%-30s %s\n", $1, $2 }'
  echo "goal_back_s                    $GOAL_S"
  echo "goals                          $goals"
} | tee "$OUT/summary.txt"
row="| $TARGET | $MODE | $STREAMS | $([[ $RATE == 0 ]] && echo "idle ($PUBLISH_RATE/s)" || echo "$RATE/s") | $(figure back_s_p99) | $back_all | $(seconds_between "$stop_at" "$up_at") | $overflows | $lost | $duplicates | $(figure clients_not_back) | $goals |"
echo "$row" >"$OUT/row.md"
echo "| target | mode | streams | events | back p99 s | back all s | server up s | listen overflows | lost | duplicated | not back | goals |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
echo "$row"
echo "files: $OUT" >&2
