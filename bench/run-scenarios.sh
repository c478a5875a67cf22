#!/usr/bin/env bash
# Every SSE scenario of RESULTS.md, one after the other, against freshly started servers:
# fan-out (Hermes and Nchan alternating), capacity (both), saturation (both), slow consumer (Hermes).
#
#   bench/run-scenarios.sh [RUNS]        # RUNS per comparison (default 3)
#
# Starts Redis, Hermes (the WAR in target/, built if missing) and Nchan with bench/servers.sh, and stops
# them at the end. Takes about 35 minutes. Everything lands in bench/target/runs/DATE-scenarios/.
set -euo pipefail

RUNS=${1:-3}
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
OUT="$BENCH_DIR/target/runs/$(date -u +%Y%m%dT%H%M%SZ)-scenarios"
mkdir -p "$OUT"
export HERMES_BENCH_KEY=${HERMES_BENCH_KEY:-bench-key}
ulimit -n 20000

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ { print $2 }') GiB, kernel $(uname -r)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "nginx: $(nginx -v 2>&1), nchan: $(dpkg-query -W -f '${Version}' libnginx-mod-nchan 2>/dev/null)"
  echo "redis: $(redis-server --version)"
  echo "load before: $(cat /proc/loadavg)"
} | tee "$OUT/environment.txt"

"$BENCH_DIR/servers.sh" stop all >/dev/null 2>&1 || true
"$BENCH_DIR/servers.sh" start all
cat "$BENCH_DIR/target/servers/hermes.version" | tee -a "$OUT/environment.txt"
trap '"$BENCH_DIR/servers.sh" stop all' EXIT

# Warm-up: one short run each, not recorded, so JIT compilation is not in the first measured run.
BENCH_SET_DIR="$OUT/warm-up" "$BENCH_DIR/run-compare.sh" 1 1000 100 10 >/dev/null 2>&1 || true

echo "== fan-out 1000 x 100 ev/s x 30 s" | tee -a "$OUT/log.txt"
BENCH_SET_DIR="$OUT/fanout" "$BENCH_DIR/run-compare.sh" "$RUNS" 1000 100 30 2>>"$OUT/log.txt" | tee -a "$OUT/log.txt"

echo "== capacity 19000 streams held 30 s" | tee -a "$OUT/log.txt"
# Each server freshly started (a process keeps memory it once used, so growth is only measurable from a
# fresh start) and warmed up by a short 1000-stream fan-out, then measured twice: "fresh", whose memory
# figures count, and "warm", 35 s later on the same process, whose handshakes run on compiled code and
# reuse the buffers of the first run's streams (its memory growth is therefore not a stream's cost).
for ((run = 1; run <= RUNS; run++)); do
  for target in hermes nchan; do
    "$BENCH_DIR/servers.sh" stop "$target" >/dev/null 2>&1
    "$BENCH_DIR/servers.sh" start "$target"
    BENCH_TARGET=$target SERVER_PID=$("$BENCH_DIR/servers.sh" pid "$target") BENCH_OUT="$OUT/capacity/warm-up-$target-$run" \
      "$BENCH_DIR/run-fanout.sh" 1000 100 5 >/dev/null 2>&1 || true
    for state in fresh warm; do
      sleep 35 # the previous streams leave Hermes at its next heartbeat or comment
      echo "state                      $state" | tee -a "$OUT/log.txt"
      BENCH_OUT="$OUT/capacity/$target-$run-$state" "$BENCH_DIR/run-capacity.sh" "$target" 19000 30 2>>"$OUT/log.txt" \
        | grep -E '^(run|clients_connected|clients_failed|clients_ended_early|headers_ms_p50|headers_ms_p99|server_rss|server_heap)' \
        | tee -a "$OUT/log.txt"
    done
  done
done

echo "== saturation 1000 streams, 20 s per rate" | tee -a "$OUT/log.txt"
sleep 35
BENCH_SET_DIR="$OUT/saturation" "$BENCH_DIR/run-saturation.sh" 1000 20 100 150 200 250 300 400 500 2>>"$OUT/log.txt" \
  | tee -a "$OUT/log.txt"

echo "== slow consumer 1000 x 100 ev/s x 180 s" | tee -a "$OUT/log.txt"
BENCH_SET_DIR="$OUT/slow-consumer" "$BENCH_DIR/run-slow-consumer.sh" "${BENCH_SLOW_RUNS:-2}" 1000 100 180 2>>"$OUT/log.txt" \
  | tee -a "$OUT/log.txt"
echo "files: $OUT"
