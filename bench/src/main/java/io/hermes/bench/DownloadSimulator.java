package io.hermes.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.bus.EnvelopeCodec;
import io.hermes.realtime.bus.EventPublisher;
import io.hermes.realtime.downloads.Download;
import io.hermes.realtime.downloads.DownloadEvents;
import io.hermes.realtime.downloads.DownloadStore;
import io.hermes.realtime.downloads.ProgressSteps;
import io.hermes.realtime.downloads.Status;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.storage.StorageReport;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import redis.clients.jedis.JedisPooled;

/**
 * A download worker of our own that keeps N downloads active, writing to Redis exactly what the
 * built-in worker ({@code worker/DownloadWorker}) writes, through the same code: the server's
 * {@link DownloadStore} (its Lua scripts {@code claim.lua}, {@code progress.lua}, {@code transition.lua})
 * and {@link DownloadEvents} (the real {@link EventPublisher}). Only the transfer is invented.
 *
 * <p>Each download is submitted through the REST API ({@code POST /api/v1/download}, so the server itself
 * stores it and publishes its {@code added} events), claimed with {@code claim.lua}, advanced every
 * {@code --step-ms} (0.5 s: the built-in worker's pace, "at most every 0.5 s or 1 %") with
 * {@code progress.lua} plus a {@code download_progress} event, and then completed (or, with
 * {@code --fail-ratio}, failed part-way) with {@code transition.lua} and the worker's status events and
 * {@code storage_update}. A finished download is replaced at once by a new submission, so N stay in
 * flight. The server must run with {@code HERMES_WORKER_ENABLED=false}, or its worker would claim them.
 *
 * <p>Before the run the N downloads are submitted and claimed, and each starts part-way (5–90 %), as on a
 * dashboard opened while downloads are running; then {@code --ready-file} is written and the run starts.
 * Every state change is logged with the wall-clock time (epoch µs) taken just before the write that made
 * it visible ({@code --log}): the data-age figures compare the clients' sightings against it.
 */
public final class DownloadSimulator {
    private static final Set<String> OPTIONS = Set.of("url", "key", "redis", "downloads", "step-ms", "seconds",
            "min-duration", "max-duration", "fail-ratio", "seed", "replay-size", "log", "ready-file");
    private static final long LEASE_MS = 30_000;
    private static final String[] HOSTS = {"videos.example.com", "cdn.example.net", "media.example.org",
        "archive.example.com", "files.example.io"};
    private static final String[][] FAILURES = {
        {"http_error", "HTTP 503 Service Unavailable"},
        {"timeout", "No data received for 60 seconds"},
        {"io_error", "The connection was reset"},
    };

    private final JedisPooled redis;
    private final Json json = new Json();
    private final DownloadStore store;
    private final DownloadEvents events;
    private final ProgressSteps steps;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI submitUri;
    private final String key;
    private final Random random;
    private final double minDuration;
    private final double maxDuration;
    private final double failRatio;
    private final long stepMillis;
    private final Path storageProbe;
    private final List<Slot> slots = new ArrayList<>();
    private final Map<String, Slot> byId = new HashMap<>();
    private final UpdateLog log;
    private final Histogram callMicros = new Histogram(3);
    private final Histogram lagMicros = new Histogram(3);
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private long submitted;

    /** One download in flight. */
    private static final class Slot {
        final int index;
        String id;
        Download claimed;
        boolean downloading;
        String fileName;
        long total;
        long bytes;
        double speed;
        double elapsed;
        long failAt;
        int seq;
        long nextDueNanos;

        Slot(int index) {
            this.index = index;
        }
    }

    private DownloadSimulator(Args args) throws IOException {
        URI api = URI.create(args.text("url", "http://127.0.0.1:18080"));
        this.submitUri = api.resolve("/api/v1/download");
        this.key = args.text("key", "bench-key");
        this.redis = new JedisPooled(URI.create(args.text("redis", "redis://127.0.0.1:16379")));
        EventPublisher publisher = new EventPublisher(redis, json, new EnvelopeCodec(), Clock.systemUTC(),
                args.integer("replay-size", 10_000, 1, 10_000_000));
        this.store = new DownloadStore(redis, Clock.systemUTC());
        this.events = new DownloadEvents(publisher, json, Clock.systemUTC());
        this.steps = new ProgressSteps(store, events, json, LEASE_MS);
        this.random = new Random(args.integer("seed", 42, 0, Integer.MAX_VALUE));
        this.minDuration = args.decimal("min-duration", 120, 1);
        this.maxDuration = Math.max(minDuration, args.decimal("max-duration", 480, 1));
        this.failRatio = args.decimal("fail-ratio", 0.1, 0);
        this.stepMillis = args.integer("step-ms", 500, 10, 60_000);
        this.storageProbe = Path.of(".").toAbsolutePath();
        this.log = new UpdateLog(Path.of(args.text("log", "updates.tsv")));
        int downloads = args.integer("downloads", 10, 1, 1000);
        for (int i = 0; i < downloads; i++) {
            slots.add(new Slot(i));
        }
    }

    public static void main(String[] argv) throws Exception {
        Args args;
        try {
            args = new Args(argv, OPTIONS);
        } catch (IllegalArgumentException badOption) {
            System.err.println("DownloadSimulator: " + badOption.getMessage());
            System.exit(2);
            return;
        }
        DownloadSimulator simulator = new DownloadSimulator(args);
        try {
            simulator.checkQueueIsOurs();
            simulator.setUp();
            String ready = args.text("ready-file", null);
            if (ready != null) {
                LoadGenerator.writeAtomically(Path.of(ready), EpochMicros.now() + "\n");
            }
            simulator.runFor(args.decimal("seconds", 60, 1));
        } finally {
            simulator.log.close();
            simulator.redis.close();
        }
        simulator.report();
    }

    /** claim.lua takes whatever is queued: anything already waiting would be claimed as if it were ours. */
    private void checkQueueIsOurs() {
        long waiting = redis.llen("hermes:queue:pending");
        if (waiting > 0) {
            throw new IllegalStateException(waiting + " downloads already wait in hermes:queue:pending; run on a Redis"
                    + " without queued downloads (the scripts flush the bench Redis first)");
        }
    }

    /** Submits and claims every download and moves each part-way, before the clients start. */
    private void setUp() throws IOException, InterruptedException {
        warmUp();
        for (Slot slot : slots) {
            submit(slot);
            claimNext();
            double fraction = 0.05 + random.nextDouble() * 0.85;
            slot.bytes = Math.max(1, (long) (slot.total * fraction));
            slot.elapsed = slot.bytes / slot.speed;
            progress(slot);
        }
    }

    private void runFor(double seconds) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        for (Slot slot : slots) {
            // Spread the downloads over the step, as independent transfers are.
            slot.nextDueNanos = start + TimeUnit.MILLISECONDS.toNanos(stepMillis) * slot.index / slots.size();
        }
        while (true) {
            Slot next = slots.get(0);
            for (Slot slot : slots) {
                if (slot.nextDueNanos < next.nextDueNanos) {
                    next = slot;
                }
            }
            if (next.nextDueNanos >= end) {
                break;
            }
            for (long wait = next.nextDueNanos - System.nanoTime(); wait > 0; wait = next.nextDueNanos - System.nanoTime()) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            lagMicros.recordValue(Math.max(0, (System.nanoTime() - next.nextDueNanos) / 1000));
            next.nextDueNanos += TimeUnit.MILLISECONDS.toNanos(stepMillis);
            try {
                step(next);
            } catch (IOException | RuntimeException failed) {
                count("errors");
                System.err.println("DownloadSimulator: step failed: " + failed);
            }
        }
    }

    /** One step of one download: claim it if it waits, else move it on, finish it, and replace it. */
    private void step(Slot slot) throws IOException, InterruptedException {
        if (!slot.downloading) {
            claimNext();
            return;
        }
        slot.elapsed += stepMillis / 1000.0;
        slot.bytes = Math.min(slot.total, slot.bytes + (long) (slot.speed * stepMillis / 1000.0 * (0.85 + 0.3 * random.nextDouble())));
        if (slot.failAt > 0 && slot.bytes >= slot.failAt) {
            fail(slot);
            submit(slot);
        } else if (slot.bytes >= slot.total) {
            progress(slot); // the worker reports the last chunk before the transfer returns
            complete(slot);
            submit(slot);
        } else {
            progress(slot);
        }
    }

    /** POST /api/v1/download, as a user adding a link: the server stores it and publishes "added". */
    private void submit(Slot slot) throws IOException, InterruptedException {
        long n = ++submitted;
        String host = HOSTS[random.nextInt(HOSTS.length)];
        String fileName = String.format(Locale.ROOT, "video-%05d.mp4", n);
        String body = json.write(Map.of("url", "https://" + host + "/media/" + fileName));
        HttpRequest request = HttpRequest.newBuilder(submitUri).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long at = EpochMicros.now();
        long before = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        record(before);
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new IOException("POST /download answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode answer = json.mapper().readTree(response.body());
        if (slot.id != null) {
            byId.remove(slot.id);
        }
        slot.id = answer.path("downloadId").asText();
        slot.claimed = null;
        slot.downloading = false;
        slot.fileName = fileName;
        slot.seq = 0;
        double duration = minDuration + random.nextDouble() * (maxDuration - minDuration);
        slot.speed = (1 + random.nextDouble() * 7) * 1_000_000; // 1–8 MB/s
        slot.total = (long) (slot.speed * duration);
        slot.bytes = 0;
        slot.elapsed = 0;
        slot.failAt = random.nextDouble() < failRatio ? (long) (slot.total * (0.1 + 0.8 * random.nextDouble())) : 0;
        byId.put(slot.id, slot);
        log.write(at, slot.id, slot.seq++, "created", Status.QUEUED, 0);
        count("created");
    }

    /** claim.lua takes the oldest queued download (ours, possibly another slot's) and events say so. */
    private void claimNext() {
        long at = EpochMicros.now();
        long before = System.nanoTime();
        String id = store.claim(LEASE_MS).orElse(null);
        if (id == null) {
            return;
        }
        Slot slot = byId.get(id);
        if (slot == null) {
            throw new IllegalStateException("claimed " + id + ", which is not one of ours");
        }
        Download download = store.find(id).orElseThrow();
        events.statusChanged(download);
        record(before);
        slot.claimed = download;
        slot.downloading = true;
        log.write(at, id, slot.seq++, "claimed", Status.DOWNLOADING, 0);
        count("claimed");
    }

    /** The worker's progress step: ProgressSteps stores it (progress.lua) and publishes the same JSON. */
    private void progress(Slot slot) {
        long at = EpochMicros.now();
        long before = System.nanoTime();
        if (!steps.record(slot.claimed, slot.bytes, slot.total, slot.elapsed, slot.fileName)) {
            throw new IllegalStateException("progress.lua refused " + slot.id + ": no longer downloading");
        }
        record(before);
        log.write(at, slot.id, slot.seq++, "progress", Status.DOWNLOADING, slot.bytes);
        count("progress");
    }

    /** The worker's complete(): DownloadStore.complete (transition.lua), the status events, storage_update. */
    private void complete(Slot slot) throws IOException {
        finish(slot, Status.COMPLETED, () -> store.complete(slot.id, new DownloadStore.CompletedFile(slot.fileName,
                slot.total, slot.fileName, Duration.ofMillis((long) (slot.elapsed * 1000)))), slot.total);
        events.storageChanged(storageNow());
    }

    /** The worker's fail(). */
    private void fail(Slot slot) {
        String[] failure = FAILURES[random.nextInt(FAILURES.length)];
        finish(slot, Status.FAILED, () -> store.fail(slot.id, failure[1], failure[0]), slot.bytes);
    }

    private void finish(Slot slot, Status to, java.util.function.Supplier<DownloadStore.Transition> change, long bytes) {
        long at = EpochMicros.now();
        long before = System.nanoTime();
        DownloadStore.Transition done = change.get();
        if (!done.applied()) {
            throw new IllegalStateException("transition of " + slot.id + " to " + to.wire() + ": " + done.outcome());
        }
        store.find(slot.id).ifPresent(events::statusChanged);
        record(before);
        log.write(at, slot.id, slot.seq++, to.wire(), to, bytes);
        count(to.wire());
    }

    /** Disk figures for the storage_update the worker sends after a file lands. */
    private StorageReport storageNow() throws IOException {
        FileStore disk = Files.getFileStore(storageProbe);
        long total = disk.getTotalSpace();
        long used = Math.max(0, total - disk.getUnallocatedSpace());
        double percentage = total <= 0 ? 0.0 : Math.round(used * 10_000.0 / total) / 100.0;
        return new StorageReport(total, used, disk.getUsableSpace(), percentage, "", "", 0, 0, List.of());
    }

    /** Runs the JSON and Redis code paths once before the timed part (class loading, JIT, script cache). */
    private void warmUp() {
        long sink = 0;
        for (int i = 0; i < 2000; i++) {
            sink += json.write(Map.of("percentage", i / 20.0, "downloaded_bytes", i, "total_bytes", 2000L)).length();
        }
        sink += store.statusOf("warm-up").isPresent() ? 1 : 0;
        if (sink == 42) {
            System.err.println();
        }
    }

    private void record(long beforeNanos) {
        callMicros.recordValue(Math.max(0, (System.nanoTime() - beforeNanos) / 1000));
    }

    private void count(String what) {
        counts.merge(what, 1L, Long::sum);
    }

    private void report() {
        counts.forEach((what, n) -> System.out.printf("simulator_%-22s %d%n", what, n));
        System.out.printf("simulator_step_lag_ms_p50      %.3f%n", lagMicros.getValueAtPercentile(50) / 1000.0);
        System.out.printf("simulator_step_lag_ms_p99      %.3f%n", lagMicros.getValueAtPercentile(99) / 1000.0);
        System.out.printf("simulator_step_lag_ms_max      %.3f%n", lagMicros.getMaxValue() / 1000.0);
        System.out.printf("simulator_write_ms_p50         %.3f%n", callMicros.getValueAtPercentile(50) / 1000.0);
        System.out.printf("simulator_write_ms_p99         %.3f%n", callMicros.getValueAtPercentile(99) / 1000.0);
    }

    /** The log of every state change: epoch µs, id, per-download seq, kind, status, downloaded bytes. */
    static final class UpdateLog implements AutoCloseable {
        private final Writer out;

        UpdateLog(Path file) throws IOException {
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        }

        void write(long atMicros, String id, int seq, String kind, Status status, long bytes) {
            try {
                out.write(atMicros + "\t" + id + "\t" + seq + "\t" + kind + "\t" + status.wire() + "\t" + bytes + "\n");
            } catch (IOException failed) {
                throw new java.io.UncheckedIOException(failed);
            }
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
