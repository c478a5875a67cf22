"""Measures one media download after another (see run-media-overhead.sh) and prints medians per kind."""
import json
import os
import statistics
import sys
import threading
import time
import urllib.request

API, MEDIA, PID, KEY, ROUNDS = sys.argv[1] + "/api/v1", sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
KINDS = {"direct": "/clip.mp4", "page": "/page.html", "hls": "/clip.m3u8"}
TICKS = os.sysconf("SC_CLK_TCK")


def call(method, path, body=None):
    request = urllib.request.Request(API + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": "Bearer " + KEY, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def cpu():
    """(own, children) CPU seconds of the server's JVM: utime+stime and cutime+cstime of /proc/PID/stat."""
    fields = open(f"/proc/{PID}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS, (int(fields[13]) + int(fields[14])) / TICKS


class Steps(threading.Thread):
    """Counts download_progress events per download on one stream of the download channel."""

    def __init__(self):
        super().__init__(daemon=True)
        self.counts = {}
        self.ended = {}
        self.changed = threading.Condition()

    def run(self):
        request = urllib.request.Request(API + "/events/stream?channels=download",
                                         headers={"Authorization": "Bearer " + KEY})
        with urllib.request.urlopen(request) as stream:
            event = None
            for raw in stream:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: ") and event == "download_progress":
                    data = json.loads(line[6:])
                    with self.changed:
                        self.counts[data["download_id"]] = self.counts.get(data["download_id"], 0) + 1
                        if data["status"] in ("completed", "failed", "cancelled"):
                            self.ended[data["download_id"]] = data["status"]
                            self.changed.notify_all()

    def await_end(self, download):
        with self.changed:
            if not self.changed.wait_for(lambda: download in self.ended, timeout=60):
                raise SystemExit(f"{download} did not end within 60 s")


def one(kind, steps):
    before, started = cpu(), time.monotonic()
    download = call("POST", "/download", {"url": MEDIA + KINDS[kind]})["downloadId"]
    steps.await_end(download)  # told by the stream: no polling, so the server's CPU is the download's own
    wall = time.monotonic() - started
    after = cpu()
    status = call("GET", "/download/" + download)
    if status["status"] != "completed":
        raise SystemExit(f"{kind} ended {status['status']}: {status.get('error')}")
    return wall, after[0] - before[0], after[1] - before[1], steps.counts.get(download, 0), status["result"]["fileSize"]


def main():
    steps = Steps()
    steps.start()
    time.sleep(1)
    for kind in KINDS:  # warm-up: one of each, not counted
        one(kind, steps)
    results = {kind: [] for kind in KINDS}
    for _ in range(ROUNDS):
        for kind in KINDS:
            results[kind].append(one(kind, steps))
    print(f"{ROUNDS} downloads of each kind, medians:")
    print("| kind | bytes | wall ms | server CPU ms | yt-dlp+ffmpeg CPU ms | progress steps | server CPU µs/step |")
    print("|---|---|---|---|---|---|---|")
    for kind, runs in results.items():
        wall, own, children, counted, size = (statistics.median(r[i] for r in runs) for i in range(5))
        print(f"| {kind} | {int(size)} | {wall * 1000:.0f} | {own * 1000:.0f} | {children * 1000:.0f} | {counted:.0f} |"
              f" {own * 1e6 / counted if counted else float('nan'):.0f} |")


main()
