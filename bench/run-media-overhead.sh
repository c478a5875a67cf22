#!/usr/bin/env bash
# What the built-in worker costs per download and per progress step, with and without yt-dlp, against the
# WAR in Jetty as bench/servers.sh runs it (the image's Jetty settings). Media made here by ffmpeg, served
# by python3 on 127.0.0.1 (allowed with HERMES_PRIVATE_URL_ALLOW, as the README's walkthrough does):
#
#   bench/run-media-overhead.sh [ROUNDS]      # default 10 rounds of each kind, alternating
#
# Kinds: "direct" (an MP4 answered as a file: a plain HTTP transfer), "page" (a page whose <video> is that
# MP4: yt-dlp's generic extractor, then the same bytes), "hls" (the same clip as an HLS playlist: yt-dlp's
# native HLS downloader, then ffmpeg's fix-up). Per download: wall time from submit to completed, the
# server's CPU (utime+stime of the JVM), its children's CPU (yt-dlp and ffmpeg, reaped by the JVM: cutime+
# cstime), and the download_progress steps its stream carried. Needs: redis-server, ffmpeg, yt-dlp, python3.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROUNDS=${1:-10}
PORT=${BENCH_HERMES_PORT:-8080}
MEDIA_PORT=${BENCH_MEDIA_PORT:-8765}
MEDIA=$BENCH_DIR/target/media
mkdir -p "$MEDIA"
if [[ ! -f $MEDIA/clip.mp4 ]]; then
  ffmpeg -loglevel error -y -f lavfi -i testsrc=duration=20:size=1280x720:rate=25 -f lavfi -i sine=duration=20 \
    -c:v libx264 -preset veryfast -g 50 -pix_fmt yuv420p -c:a aac -shortest "$MEDIA/clip.mp4"
  ffmpeg -loglevel error -y -i "$MEDIA/clip.mp4" -c copy -f hls -hls_time 2 -hls_playlist_type vod "$MEDIA/clip.m3u8"
  printf '<!DOCTYPE html><html><head><title>Bench clip</title></head><body><video src="/clip.mp4"></video></body></html>\n' \
    >"$MEDIA/page.html"
fi
(cd "$MEDIA" && exec python3 -m http.server "$MEDIA_PORT" --bind 127.0.0.1 >/dev/null 2>&1) &
MEDIA_PID=$!
trap 'kill $MEDIA_PID 2>/dev/null || true; "$BENCH_DIR/servers.sh" stop hermes; "$BENCH_DIR/servers.sh" stop redis' EXIT
"$BENCH_DIR/servers.sh" start redis
BENCH_HERMES_JVM="-DHERMES_PRIVATE_URL_ALLOW=127.0.0.1 ${BENCH_HERMES_JVM:-}" "$BENCH_DIR/servers.sh" start hermes
echo "machine: $(nproc) cores, $(uname -r), $(java -version 2>&1 | head -1), yt-dlp $(yt-dlp --version), load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$BENCH_DIR/media_overhead.py" "http://127.0.0.1:$PORT" "http://127.0.0.1:$MEDIA_PORT" \
  "$("$BENCH_DIR/servers.sh" pid hermes)" "${BENCH_KEY:-bench-key}" "$ROUNDS"
