#!/usr/bin/env bash
# Starts and stops the servers the scenarios measure, all on this machine, apart from any system service:
#
#   bench/servers.sh start redis|hermes|nchan|all
#   bench/servers.sh stop  redis|hermes|nchan|all
#   bench/servers.sh pid   hermes|nchan      # the pids whose memory and CPU the scenarios sample
#   bench/servers.sh again hermes|nchan      # starts it again from what the last start set up (a restart)
#
# redis   Debian's redis-server on $BENCH_REDIS_PORT (6379), no persistence, noeviction.
# hermes  the project's WAR as ROOT.war in a standalone Jetty 12 (jetty-home from Maven Central, the
#         version the project tests with) on 127.0.0.1:$BENCH_HERMES_PORT (8080), set up as the Docker image
#         is: Jetty from deploy/jetty (hermes.ini, hermes-errors.xml) and nothing else, the JVM options of
#         the Dockerfile's JAVA_OPTIONS. Added for measuring, not for serving: a fixed, pre-touched heap of
#         $BENCH_HEAP (1g), so heap growth shows as heap in use instead of hiding in RSS, and
#         `ulimit -n 20000`. Default settings except HERMES_SSE_MAX_CONNECTIONS=20000; API key $BENCH_KEY.
#         To A/B a change: $BENCH_GC (e.g. G1) replaces the image's collector, $BENCH_HERMES_JVM adds JVM
#         options, $BENCH_JETTY_ARGS Jetty properties; a change that wins belongs in the shipped files.
# nchan   Debian's nginx with libnginx-mod-nchan (bench/nchan/nginx.conf.in) on $BENCH_NCHAN_PORT (8090),
#         2 workers, messages in the same Redis.
# Everything lives under bench/target/servers/. Needs: apt-get install redis-server nginx libnginx-mod-nchan.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
HOME_DIR=$BENCH_DIR/target/servers
REDIS_PORT=${BENCH_REDIS_PORT:-6379}
HERMES_PORT=${BENCH_HERMES_PORT:-8080}
NCHAN_PORT=${BENCH_NCHAN_PORT:-8090}
KEY=${BENCH_KEY:-bench-key}
HEAP=${BENCH_HEAP:-1g}
# Empty: the image's collector (Parallel, see the Dockerfile); G1 measures the JVM's default instead.
GC=${BENCH_GC:-}
JETTY_VERSION=${BENCH_JETTY_VERSION:-12.1.8}
FILES=20000

mkdir -p "$HOME_DIR"

wait_for() { # URL: until it answers 200, at most 60 s
  for ((i = 0; i < 600; i++)); do
    if [[ $(curl -s -m 2 -o /dev/null -w '%{http_code}' "$1") == 200 ]]; then return 0; fi
    sleep 0.1
  done
  echo "$1 did not answer 200 within 60 s" >&2
  return 1
}

start_redis() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
    --maxmemory-policy noeviction --daemonize yes --dir "$HOME_DIR" \
    --pidfile "$HOME_DIR/redis.pid" --logfile "$HOME_DIR/redis.log" </dev/null >/dev/null 2>&1
  for ((i = 0; i < 100; i++)); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "redis did not start" >&2; return 1
}

stop_redis() {
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
}

jetty_home() {
  local dir=$HOME_DIR/jetty-home-$JETTY_VERSION
  if [[ ! -d $dir ]]; then
    (cd "$BENCH_DIR" && mvn -q -B dependency:copy -Dartifact="org.eclipse.jetty:jetty-home:$JETTY_VERSION:tar.gz" \
      -DoutputDirectory="$HOME_DIR") >&2
    tar -xzf "$HOME_DIR/jetty-home-$JETTY_VERSION.tar.gz" -C "$HOME_DIR"
  fi
  echo "$dir"
}

# The Docker image's JVM options: the Dockerfile's ENV JAVA_OPTIONS, with BENCH_GC's collector in place of
# the image's when that is set.
image_jvm_options() {
  local options
  options=$(sed -n 's/^ENV JAVA_OPTIONS="\(.*\)"$/\1/p' "$ROOT/Dockerfile")
  if [[ -z $options ]]; then
    echo "no ENV JAVA_OPTIONS=\"...\" line in $ROOT/Dockerfile" >&2
    return 1
  fi
  if [[ -n $GC ]]; then
    options="$(sed 's/ *-XX:+Use[A-Za-z]*GC//' <<<"$options") -XX:+Use${GC}GC"
  fi
  echo "$options"
}

start_hermes() {
  build_hermes_base
  launch_hermes
}

build_hermes_base() {
  local home base war
  home=$(jetty_home)
  war=${BENCH_WAR:-$(ls "$ROOT"/target/hermes-realtime-*.war 2>/dev/null | head -1)}
  if [[ -z $war ]]; then
    (cd "$ROOT" && mvn -q -B -DskipTests package) >&2
    war=$(ls "$ROOT"/target/hermes-realtime-*.war | head -1)
  fi
  base=$HOME_DIR/jetty-base
  rm -rf "$base" && mkdir -p "$base/webapps" "$base/downloads" "$base/temp"
  (cd "$base" && java -jar "$home/start.jar" --add-modules=server,http,ee10-deploy >/dev/null 2>&1)
  # The Jetty settings the Docker image runs with (idle timeout, listen queue, bounded buffer pool, error
  # handling), and its JVM options.
  cp "$ROOT/deploy/jetty/hermes.ini" "$base/start.d/hermes.ini"
  mkdir -p "$base/etc" && cp "$ROOT/deploy/jetty/hermes-errors.xml" "$base/etc/hermes-errors.xml"
  cp "$war" "$base/webapps/ROOT.war"
  echo "war: $war ($(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'))" >"$HOME_DIR/hermes.version"
}

# Starts the JVM on the base build_hermes_base made, as a process manager restarting the service would.
launch_hermes() {
  local home base jvm
  home=$(jetty_home)
  base=$HOME_DIR/jetty-base
  jvm=$(image_jvm_options)
  (
    cd "$base"
    ulimit -n $FILES
    export HERMES_REDIS_URL=redis://127.0.0.1:$REDIS_PORT HERMES_API_KEYS=$KEY HERMES_SSE_MAX_CONNECTIONS=20000 \
      HERMES_DOWNLOAD_DIR=$base/downloads HERMES_TEMP_DIR=$base/temp
    echo "jvm: $jvm -Xms$HEAP -Xmx$HEAP -XX:+AlwaysPreTouch ${BENCH_HERMES_JVM:-}" >>"$HOME_DIR/hermes.version"
    # shellcheck disable=SC2086 # the option variables are lists of options
    nohup java $jvm -Xms"$HEAP" -Xmx"$HEAP" -XX:+AlwaysPreTouch ${BENCH_HERMES_JVM:-} -jar "$home/start.jar" \
      jetty.http.port="$HERMES_PORT" jetty.http.host=127.0.0.1 ${BENCH_JETTY_ARGS:-} \
      </dev/null >"$HOME_DIR/hermes.log" 2>&1 &
    echo $! >"$HOME_DIR/hermes.pid"
  )
  wait_for "http://127.0.0.1:$HERMES_PORT/api/v1/health"
}

# Whether a process has ended. A zombie has: its sockets are closed and its port is free. The server was
# started in a subshell that is gone, so it belongs to PID 1 once it exits, and a container's PID 1 may reap
# its zombies late (this machine's does so about every 2 s): `kill -0` would count that wait as stopping time.
exited() { [[ ! -e /proc/$1 ]] || [[ $(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) == Z ]]; }

stop_hermes() {
  local pid
  [[ -f $HOME_DIR/hermes.pid ]] || return 0
  pid=$(cat "$HOME_DIR/hermes.pid")
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do exited "$pid" && break; sleep 0.05; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$HOME_DIR/hermes.pid"
}

start_nchan() {
  local prefix=$HOME_DIR/nchan
  mkdir -p "$prefix"
  sed -e "s#@PREFIX@#$prefix#g; s#@REDIS@#redis://127.0.0.1:$REDIS_PORT#; s#@PORT@#$NCHAN_PORT#" \
    "$BENCH_DIR/nchan/nginx.conf.in" >"$prefix/nginx.conf"
  (ulimit -n $FILES && nginx -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/error.log" </dev/null >/dev/null 2>&1)
  # A publish to a channel of its own: it answers at once, where a subscriber's stream never ends.
  for ((i = 0; i < 100; i++)); do
    [[ $(curl -s -m 2 -o /dev/null -w '%{http_code}' -X POST -d probe "http://127.0.0.1:$NCHAN_PORT/pub?id=probe") == 20? ]] && return 0
    sleep 0.1
  done
  echo "nginx did not start: $(tail -5 "$prefix/error.log")" >&2; return 1
}

stop_nchan() {
  local prefix=$HOME_DIR/nchan
  [[ -f $prefix/nginx.pid ]] || return 0
  nginx -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/error.log" -s quit 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do [[ -f $prefix/nginx.pid ]] || return 0; sleep 0.1; done
  pkill -9 -F "$prefix/nginx.pid" 2>/dev/null || true
}

# The processes that serve: the JVM, or nginx's master and workers (comma-separated).
pids() {
  case $1 in
    hermes) cat "$HOME_DIR/hermes.pid" ;;
    nchan) local master; master=$(cat "$HOME_DIR/nchan/nginx.pid")
      echo "$master,$(pgrep -P "$master" | paste -sd,)" ;;
    *) echo "pid of hermes or nchan" >&2; return 2 ;;
  esac
}

action=${1:-}; what=${2:-}
case $action:$what in
  start:all) start_redis; start_hermes; start_nchan ;;
  stop:all) stop_nchan; stop_hermes; stop_redis ;;
  start:redis | start:hermes | start:nchan | stop:redis | stop:hermes | stop:nchan) "${action}_$what" ;;
  again:hermes) launch_hermes ;;
  again:nchan) start_nchan ;;
  pid:*) pids "$what" ;;
  *) sed -n '2,7p' "$0" >&2; exit 2 ;;
esac
