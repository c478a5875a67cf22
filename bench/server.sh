#!/usr/bin/env bash
# Starts or stops the server under test for the polling benchmarks: a redis-server of its own and the
# WAR in `mvn jetty:run`, from the project this bench/ belongs to, with the built-in worker off.
#
#   bench/server.sh start     Redis on BENCH_REDIS_PORT, then the server on BENCH_PORT; waits for health
#   bench/server.sh stop      stops both (only the processes this script started, by their pid files)
#   bench/server.sh pid       prints the server JVM's pid (for SERVER_PID)
#
# Environment (defaults in brackets):
#   BENCH_PORT [18080]         the server's port (jetty.port)
#   BENCH_REDIS_PORT [16379]   Redis port; its files go to bench/target/redis-PORT/ (appendonly, noeviction)
#   BENCH_KEY [bench-key]      the admin key (HERMES_API_KEYS)
#   BENCH_SERVER_OPTS          JVM options of the server (MAVEN_OPTS: jetty:run runs in Maven's JVM)
#   BENCH_SERVER_ENV           extra settings, e.g. "HERMES_SSE_CONNECTION_TIMEOUT=300"
#   BENCH_MVN_OFFLINE [yes]    run Maven with -o (no network)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
PROJECT=$(cd "$BENCH_DIR/.." && pwd)
PORT=${BENCH_PORT:-18080}
REDIS_PORT=${BENCH_REDIS_PORT:-16379}
KEY=${BENCH_KEY:-bench-key}
STATE="$BENCH_DIR/target/server-$PORT"
REDIS_DIR="$BENCH_DIR/target/redis-$REDIS_PORT"

# The JVM that listens on the port (jetty:run runs in Maven's JVM, a child of the wrapper we started).
jvm_pid() { ss -ltnpH "sport = :$PORT" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }
health() { curl -s -o /dev/null -w '%{http_code}' -m 2 "http://127.0.0.1:$PORT/api/v1/health" 2>/dev/null || true; }

start() {
  mkdir -p "$STATE/downloads" "$STATE/temp" "$REDIS_DIR"
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$REDIS_DIR" --appendonly yes \
      --maxmemory-policy noeviction --save '' --daemonize yes --pidfile "$REDIS_DIR/redis.pid" \
      --logfile "$REDIS_DIR/redis.log"
    for ((i = 0; i < 50; i++)); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  if [[ "$(health)" == 200 ]]; then
    echo "a server already answers on port $PORT" >&2
    return 0
  fi
  local offline=()
  [[ "${BENCH_MVN_OFFLINE:-yes}" == yes ]] && offline=(-o)
  # exec: the background job becomes Maven's JVM itself (the mvn script execs java), holding no
  # descriptor of this script's, so `bench/server.sh start | …` ends when this script does.
  # shellcheck disable=SC2086 # BENCH_SERVER_ENV is a list of NAME=VALUE words
  (cd "$PROJECT" && exec env HERMES_REDIS_URL="redis://127.0.0.1:$REDIS_PORT" HERMES_API_KEYS="$KEY" \
    HERMES_WORKER_ENABLED=false HERMES_DOWNLOAD_DIR="$STATE/downloads" HERMES_TEMP_DIR="$STATE/temp" \
    ${BENCH_SERVER_ENV:-} MAVEN_OPTS="${BENCH_SERVER_OPTS:-}" \
    nohup mvn -q "${offline[@]}" jetty:run -Djetty.port="$PORT" >"$STATE/jetty.log" 2>&1 </dev/null) &
  echo $! >"$STATE/server.pid"
  for ((i = 0; i < 300; i++)); do
    [[ "$(health)" == 200 ]] && break
    if ! kill -0 "$(cat "$STATE/server.pid")" 2>/dev/null; then
      echo "the server exited; see $STATE/jetty.log" >&2
      tail -20 "$STATE/jetty.log" >&2
      exit 1
    fi
    sleep 1
  done
  [[ "$(health)" == 200 ]] || { echo "no healthy server on port $PORT after 300 s" >&2; exit 1; }
  jvm_pid >"$STATE/jvm.pid"
  echo "server JVM pid $(cat "$STATE/jvm.pid") on port $PORT, Redis on $REDIS_PORT" >&2
}

stop() {
  if [[ -f "$STATE/jvm.pid" ]]; then
    local jvm
    jvm=$(cat "$STATE/jvm.pid")
    if kill -0 "$jvm" 2>/dev/null; then
      kill "$jvm"
      for ((i = 0; i < 60; i++)); do kill -0 "$jvm" 2>/dev/null || break; sleep 0.5; done
    fi
    rm -f "$STATE/jvm.pid"
  fi
  if [[ -f "$STATE/server.pid" ]]; then
    local pid
    pid=$(cat "$STATE/server.pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for ((i = 0; i < 60; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    fi
    rm -f "$STATE/server.pid"
  fi
  if [[ -f "$REDIS_DIR/redis.pid" ]]; then
    local redis
    redis=$(cat "$REDIS_DIR/redis.pid")
    kill "$redis" 2>/dev/null || true
    # Wait until it is gone: a `start` right after must not mistake the exiting Redis for a running one.
    for ((i = 0; i < 100; i++)); do kill -0 "$redis" 2>/dev/null || break; sleep 0.1; done
    rm -f "$REDIS_DIR/redis.pid"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  pid) cat "$STATE/jvm.pid" ;;
  *) sed -n '2,8p' "$0" >&2; exit 2 ;;
esac
