#!/usr/bin/env bash
# Profiles one polling endpoint under wrk load with JFR and says where the server's CPU went.
#
#   SERVER_PID=$(bench/server.sh pid) bench/profile-endpoint.sh PATH [304]
#
# PATH is below the server, e.g. '/api/v1/queue?limit=50'; with 304 the requests carry If-None-Match
# with the endpoint's current ETag. Records 20 s of wrk -t2 -c32, then prints JfrHotMethods' summary
# (also the recording and the summary in BENCH_OUT, default bench/target/profiles/DATE-NAME).
#
# The profiler is JFR (built in), or with BENCH_PROFILER=async async-profiler 3.0 from Maven Central
# (tools.profiler:async-profiler:3.0, fetched with `mvn dependency:get` if missing), which also sees
# time in the JIT's intrinsic stubs (SHA-256, array copies) that JFR's sampler cannot attribute. Both
# write a JFR file with jdk.ExecutionSample events. Environment: BENCH_URL, BENCH_KEY, BENCH_SECONDS
# [20], BENCH_FOCUS (a method prefix for --focus, default java.util.regex.).
set -euo pipefail

if [[ $# -lt 1 || -z "${SERVER_PID:-}" ]]; then
  sed -n '2,5p' "$0" >&2
  exit 2
fi
PATH_QUERY=$1
VARIANT=${2:-200}
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
JAR="$BENCH_DIR/target/hermes-bench.jar"
URL=${BENCH_URL:-http://127.0.0.1:18080}
KEY=${BENCH_KEY:-bench-key}
SECONDS_=${BENCH_SECONDS:-20}
NAME=$(echo "$PATH_QUERY" | sed 's#^/api/v1/##; s#[^A-Za-z0-9]#-#g')-$VARIANT
OUT=${BENCH_OUT:-$BENCH_DIR/target/profiles/$(date -u +%Y%m%dT%H%M%SZ)-$NAME}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd) # JFR writes relative paths from the server's directory, not ours

headers=(-H "Authorization: Bearer $KEY")
if [[ "$VARIANT" == 304 ]]; then
  etag=$(curl -s -D - -o /dev/null "${headers[@]}" "$URL$PATH_QUERY" | tr -d '\r' | awk 'tolower($1) == "etag:" { print $2 }')
  headers+=(-H "If-None-Match: $etag")
fi
# A few seconds of load first, so the recording holds compiled code rather than the JIT's work.
wrk -t2 -c32 -d5s "${headers[@]}" "$URL$PATH_QUERY" >/dev/null
if [[ "${BENCH_PROFILER:-jfr}" == async ]]; then
  AP_JAR=$HOME/.m2/repository/tools/profiler/async-profiler/3.0/async-profiler-3.0.jar
  [[ -f "$AP_JAR" ]] || mvn -q dependency:get -Dartifact=tools.profiler:async-profiler:3.0
  AP_DIR="$BENCH_DIR/target/async-profiler-3.0"
  [[ -f "$AP_DIR/linux-x64/libasyncProfiler.so" ]] || (mkdir -p "$AP_DIR" && cd "$AP_DIR" && unzip -q -o "$AP_JAR" 'linux-x64/*')
  AP_LIB="$AP_DIR/linux-x64/libasyncProfiler.so"
  java -cp "$JAR" io.hermes.bench.AttachAgent "$SERVER_PID" "$AP_LIB" "start,event=cpu,interval=1000000,jfr,file=$OUT/recording.jfr"
  wrk -t2 -c32 -d"${SECONDS_}s" --latency "${headers[@]}" "$URL$PATH_QUERY" >"$OUT/wrk.txt"
  java -cp "$JAR" io.hermes.bench.AttachAgent "$SERVER_PID" "$AP_LIB" "stop"
else
  jcmd "$SERVER_PID" JFR.start name="bench-$NAME" settings=profile duration=$((SECONDS_ + 3))s \
    filename="$OUT/recording.jfr" >/dev/null
  wrk -t2 -c32 -d"${SECONDS_}s" --latency "${headers[@]}" "$URL$PATH_QUERY" >"$OUT/wrk.txt"
  for ((i = 0; i < 100; i++)); do
    jcmd "$SERVER_PID" JFR.check 2>/dev/null | grep -q "bench-$NAME" || break
    sleep 0.2
  done
fi
java -cp "$JAR" io.hermes.bench.JfrHotMethods --file "$OUT/recording.jfr" --top 20 \
  --focus "${BENCH_FOCUS:-java.util.regex.}" | tee "$OUT/summary.txt"
grep -E 'Requests/sec|99%' "$OUT/wrk.txt"
echo "files: $OUT" >&2
