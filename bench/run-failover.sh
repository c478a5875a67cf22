#!/usr/bin/env bash
# Issue 20: what a Sentinel failover costs, and what HERMES_REDIS_WAIT_REPLICAS costs a publication.
#
#   bench/run-failover.sh [REPEATS]
#
# 1. WAIT: a master and its replica (Debian's redis-server) on free loopback ports in a temporary directory;
#    BENCH_PUBLISHES (20000) publications, one at a time, through the production EventPublisher, without WAIT
#    and with WAIT 1 (timeout BENCH_WAIT_TIMEOUT, 100 ms), alternating, REPEATS times (default 3): latency
#    mean, p50, p90, p99, p99.9 and max in microseconds (io.hermes.bench.PublishWait).
# 2. Failover: bus/SentinelFailoverIT, REPEATS times (master + replica + three redis-sentinel, 100 streams,
#    20 events/s, the replica cut off and the master killed with SIGKILL), one instance and two: seconds until
#    Sentinel promoted the replica, until publishing and delivery were back, acknowledged events lost by Redis,
#    streams sent resync.
# BENCH_FAILOVER_RUNS (default REPEATS) sets the number of failover runs apart; 0 skips them.
# Everything goes to bench/target/runs/DATE-failover/: wait.txt, failover.txt, load.txt. Run it on a quiet
# machine: other builds change every figure.
set -euo pipefail

REPEATS=${1:-3}
[[ $REPEATS =~ ^[1-9][0-9]*$ ]] || { sed -n '4p' "$0" >&2; exit 2; }
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"
PUBLISHES=${BENCH_PUBLISHES:-20000}
WAIT_TIMEOUT=${BENCH_WAIT_TIMEOUT:-100}
FAILOVER_RUNS=${BENCH_FAILOVER_RUNS:-$REPEATS}
JAR="$BENCH_DIR/target/hermes-bench.jar"
SERIES=$BENCH_DIR/target/runs/$(date -u +%Y%m%dT%H%M%SZ)-failover
mkdir -p "$SERIES"
for binary in redis-server redis-cli; do
  command -v "$binary" >/dev/null || { echo "$binary is missing (Debian: apt-get install redis-server)" >&2; exit 1; }
done

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

DATA=$(mktemp -d)
PIDS=()
finish() {
  kill "$LOAD_SAMPLER" 2>/dev/null || true
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$DATA"
}
trap finish EXIT
start_load_sampler "$SERIES/load.txt"

(cd "$BENCH_DIR" && mvn -q -B -DskipTests package)

MASTER=$(free_port)
REPLICA=$(free_port)
redis-server --port "$MASTER" --bind 127.0.0.1 --save '' --appendonly no --dir "$DATA" \
  --dbfilename master.rdb >"$DATA/master.log" 2>&1 &
PIDS+=($!)
disown "$!" # killed by this script; no "Killed" line from bash
redis-server --port "$REPLICA" --bind 127.0.0.1 --save '' --appendonly no --dir "$DATA" \
  --dbfilename replica.rdb --replicaof 127.0.0.1 "$MASTER" >"$DATA/replica.log" 2>&1 &
PIDS+=($!)
disown "$!" # killed by this script; no "Killed" line from bash
for ((i = 0; i < 100; i++)); do
  redis-cli -p "$REPLICA" info replication 2>/dev/null | grep -q 'master_link_status:up' && break
  sleep 0.1
done
redis-cli -p "$REPLICA" info replication | grep -q 'master_link_status:up' \
  || { echo "the replica did not sync; see $DATA/replica.log" >&2; exit 1; }

echo "# publish latency without and with WAIT (master + replica on loopback, $PUBLISHES publications each)" \
  | tee "$SERIES/wait.txt"
for ((run = 1; run <= REPEATS; run++)); do
  for replicas in 0 1; do
    redis-cli -p "$MASTER" del hermes:events >/dev/null
    line=$(java -cp "$JAR" io.hermes.bench.PublishWait --redis "redis://127.0.0.1:$MASTER" --count "$PUBLISHES" \
      --replicas "$replicas" --timeout "$WAIT_TIMEOUT")
    echo "run $run $line" | tee -a "$SERIES/wait.txt"
  done
done
for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
PIDS=()

echo "# failover (bus/SentinelFailoverIT)" | tee "$SERIES/failover.txt"
for ((run = 1; run <= FAILOVER_RUNS; run++)); do
  (cd "$ROOT" && mvn -q -o verify -Dit.test=SentinelFailoverIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    2>&1) | grep -E '^SentinelFailoverIT,|FAIL|Tests run' | sed "s/^/run $run /" | tee -a "$SERIES/failover.txt"
done
echo "Results in $SERIES" >&2
