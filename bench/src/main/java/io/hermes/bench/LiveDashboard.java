package io.hermes.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard with its live stream, in one of three modes.
 *
 * <p>{@code --mode dashboard} does what the page does ({@code webapp/js/main.js}, {@code connection.js},
 * {@code live-stream.js}), request for request: it checks {@code GET /events/health}, asks
 * {@code POST /events/token} for a token of scope {@code events} (ttl 300 s) and opens
 * {@code GET /events/stream?channels=download,queue,stats,storage,system&}{@link #SNAPSHOT}{@code &token=…}
 * with {@code Accept-Encoding: gzip} as a browser's EventSource sends it; the stream opens with a snapshot
 * of every view (queue, stats, timeline and its summary, storage, notifications), so the page loads none
 * itself. At 80 % of the token's life it opens a second stream with {@code last_event_id} and closes the
 * first once the second is connected; a stream the server ends is resumed the same way after 0.5–3 s.
 * Events with an id are taken once, in id order. Events make it fetch again as main.js does: progress, a
 * status change or an {@code added} queue update of a download the queue view does not show yet refetches
 * the queue (once per id), a {@code removed} queue update refetches the queue, a {@code stats_update}
 * refetches stats and timeline (with its summary), a {@code resync} without a snapshot behind it every
 * view; every loader is coalesced as {@code coalesce.js} does.
 *
 * <p>{@code --mode stream-only} is the minimal client of an older server: the same views loaded once,
 * then one stream with the key as a Bearer header (an EventSource-like client that can set headers),
 * which, when the server ends it, reconnects after the server's {@code retry:} delay with
 * {@code Last-Event-ID} as EventSource does. No refetches, no compression.
 *
 * <p>{@code --mode stream-snapshot} is the minimal client of this server: no view loaded, one stream that
 * opens with the snapshot of every view, asks for gzip ({@code --gzip}, default true) and, with
 * {@code --progress-interval-ms N}, for at most one progress step per download every N ms; it reconnects
 * as stream-only does. Its requests are its stream opens.
 *
 * <p>Both record every {@code download_progress} event's state when it arrives, and every state a queue
 * answer shows, in {@link Sightings}. Where the page would give up on the stream and poll instead, this
 * client counts an error and stops streaming: a run with errors does not measure the live page.
 */
public final class LiveDashboard {
    private static final Set<String> OPTIONS = Set.of("url", "key", "seconds", "out", "name", "mode", "token-ttl",
            "gzip", "progress-interval-ms");
    static final String CHANNELS = "download,queue,stats,storage,system";
    /** The opening snapshot of every view the page shows, with the page's queries. */
    static final String SNAPSHOT = "snapshot=queue,stats,timeline,timeline_summary,storage,notifications"
            + "&queue.limit=50&stats.period=week&timeline.period=week&timeline_summary.period=week"
            + "&notifications.limit=20";
    private static final double RENEW_AT = 0.8;
    private static final int MAX_FAILURES = 3;
    private static final long HEALTHY_LIFETIME_MS = 5000;
    private static final String STREAM = "events/stream";

    private final ClientRun run;
    private final DashboardApi api;
    private final boolean dashboard;
    /** Streams open with the snapshot of every view instead of the client loading them (not stream-only). */
    private final boolean snapshot;
    private final boolean gzip;
    private final int progressIntervalMillis;
    private final int tokenTtl;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "live-timers");
        thread.setDaemon(true);
        return thread;
    });
    private final Coalesced queue;
    private final Coalesced stats;
    private final Coalesced timeline;
    private final Coalesced storage;
    private final Coalesced notifications;
    /** The ids the queue view shows: those of the last queue answer. */
    private volatile Set<String> onScreen = Set.of();
    private final Set<String> refetchedFor = ConcurrentHashMap.newKeySet();

    // The stream state, guarded by this.
    private boolean running;
    private Source primary;
    private Source pending;
    private String lastSeenId = "";
    private int failures;
    private int unreachableAttempts;
    private long retryMillis = 3000;
    private ScheduledFuture<?> renewTimer;
    private final Map<String, Long> eventCounts = new TreeMap<>();
    private final Map<String, Long> endReasons = new TreeMap<>();
    private long streamsOpened;
    private long renewals;
    private long reconnects;

    /** One EventSource of the page, with what live-stream.js keeps about it. */
    private static final class Source {
        BlockingEventStream stream;
        String previousId = "";
        long connectedAtNanos;
        long ttlSeconds;
        boolean resumed;
    }

    private LiveDashboard(ClientRun run, String mode, boolean gzip, int progressIntervalMillis, int tokenTtl) {
        this.run = run;
        this.api = run.api;
        this.dashboard = mode.equals("dashboard");
        this.snapshot = !mode.equals("stream-only");
        this.gzip = gzip;
        this.progressIntervalMillis = progressIntervalMillis;
        this.tokenTtl = tokenTtl;
        this.queue = loader("queue", () -> {
            DashboardApi.Answer answer = api.get("/queue?limit=50", "queue");
            showQueue(answer.body(), answer.receivedMicros());
        });
        this.stats = loader("stats", () -> api.get("/stats?period=week", "stats"));
        this.timeline = loader("timeline", () -> {
            api.get("/timeline?period=week", "timeline");
            api.get("/timeline/summary?period=week", "timeline/summary");
        });
        this.storage = loader("storage", () -> api.get("/storage", "storage"));
        this.notifications = loader("notifications", () -> api.get("/notifications?limit=20", "notifications"));
    }

    /** What a queue answer (or the queue's snapshot) shows: its download states, and which ids are on screen. */
    private void showQueue(JsonNode body, long atMicros) {
        run.sightings.sawQueue(body, atMicros);
        Set<String> ids = new HashSet<>();
        body.path("items").forEach(item -> ids.add(item.path("downloadId").asText()));
        onScreen = Set.copyOf(ids);
    }

    private Coalesced loader(String name, Coalesced.Load load) {
        return new Coalesced("live-" + name, load, failure -> run.error(name, failure));
    }

    public static void main(String[] argv) throws Exception {
        Args args;
        try {
            args = new Args(argv, OPTIONS);
        } catch (IllegalArgumentException badOption) {
            System.err.println("LiveDashboard: " + badOption.getMessage());
            System.exit(2);
            return;
        }
        String mode = args.text("mode", "dashboard");
        if (!Set.of("dashboard", "stream-only", "stream-snapshot").contains(mode)) {
            System.err.println("LiveDashboard: --mode is dashboard, stream-only or stream-snapshot");
            System.exit(2);
        }
        double seconds = args.decimal("seconds", 60, 1);
        ClientRun run = new ClientRun(args.text("name", mode.equals("dashboard") ? "sse" : "sse-" + mode),
                URI.create(args.text("url", "http://127.0.0.1:18080")), args.text("key", "bench-key"),
                Path.of(args.text("out", ".")));
        boolean gzip = !mode.equals("stream-only") && Boolean.parseBoolean(args.text("gzip", "true"));
        int interval = args.integer("progress-interval-ms", 0, 0, 60_000);
        run.extra.put("mode", mode);
        run.extra.put("gzip", gzip);
        run.extra.put("progress_interval_ms", interval);
        LiveDashboard live = new LiveDashboard(run, mode, gzip, interval, args.integer("token-ttl", 300, 60, 3600));
        live.runFor(seconds);
        run.write();
    }

    private void runFor(double seconds) throws InterruptedException {
        run.started();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        synchronized (this) {
            running = true;
        }
        if (!snapshot) {
            refreshAll();
        }
        timers.execute(dashboard ? () -> connect(true) : this::openWithKey);
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, 1_000_000_000L));
        }
        stop();
    }

    private void refreshAll() {
        queue.request();
        stats.request();
        timeline.request();
        storage.request();
        notifications.request();
    }

    private void stop() throws InterruptedException {
        synchronized (this) {
            running = false;
            for (Source source : new Source[] {primary, pending}) {
                if (source != null) {
                    source.stream.close();
                }
            }
        }
        timers.shutdownNow();
        for (Coalesced loader : List.of(queue, stats, timeline, storage, notifications)) {
            loader.shutdown(30_000);
        }
        run.ended();
        run.client.close();
        synchronized (this) {
            run.extra.put("streams_opened", streamsOpened);
            run.extra.put("token_renewals", renewals);
            run.extra.put("reconnects", reconnects);
            run.extra.put("stream_end_reasons", new LinkedHashMap<>(endReasons));
            run.extra.put("events_by_type", new LinkedHashMap<>(eventCounts));
        }
        Map<String, Long> loads = new LinkedHashMap<>();
        loads.put("queue", queue.runs());
        loads.put("stats", stats.runs());
        loads.put("timeline", timeline.runs());
        loads.put("storage", storage.runs());
        loads.put("notifications", notifications.runs());
        run.extra.put("loader_runs", loads);
    }

    // ---- dashboard mode: live-stream.js ----------------------------------------------------------

    /** Fetches a token (after checking /events/health when asked) and opens a stream with it. */
    private void connect(boolean checkHealth) {
        try {
            if (checkHealth) {
                JsonNode health = api.getPublic("/events/health", "events/health").body();
                if (!health.path("enabled").asBoolean()) {
                    giveUp("SSE disabled");
                    return;
                }
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("scope", "events");
            body.put("ttl", tokenTtl);
            JsonNode token = api.post("/events/token", body, "events/token").body();
            open(token.path("token").asText(), token.path("ttl").asLong(tokenTtl));
        } catch (DashboardApi.Failure refused) {
            run.error("stream token", refused);
            if (refused.status == 401 || List.of(400, 403, 404, 422).contains(refused.status)) {
                giveUp("refused: " + refused.status);
            } else {
                failed();
            }
        } catch (IOException | RuntimeException unreachable) {
            run.error("stream token", unreachable);
            unreachable();
        }
    }

    private synchronized void open(String token, long ttlSeconds) {
        if (!running) {
            return;
        }
        StringBuilder target = new StringBuilder(streamTarget()).append("&token=").append(encode(token));
        if (!lastSeenId.isEmpty()) {
            target.append("&last_event_id=").append(encode(lastSeenId));
        }
        Source source = new Source();
        source.ttlSeconds = ttlSeconds;
        source.resumed = !lastSeenId.isEmpty();
        source.stream = new BlockingEventStream(run.client, target.toString(), eventSourceHeaders(), run.tally, STREAM,
                new Handler());
        if (primary != null) {
            if (pending != null) {
                pending.stream.close();
            }
            pending = source;
        } else {
            primary = source;
        }
        streamsOpened++;
        source.stream.start("live-stream-" + streamsOpened);
    }

    private synchronized Source sourceOf(BlockingEventStream stream) {
        if (primary != null && primary.stream == stream) {
            return primary;
        }
        if (pending != null && pending.stream == stream) {
            return pending;
        }
        return null;
    }

    private synchronized void handleConnected(Source source) {
        boolean overlapped = false;
        if (source == pending) {
            overlapped = primary != null;
            if (primary != null) {
                primary.stream.close();
            }
            primary = source;
            pending = null;
        } else if (source != primary) {
            return;
        }
        source.connectedAtNanos = System.nanoTime();
        unreachableAttempts = 0;
        cancelRenewal();
        renewTimer = schedule(this::renew, (long) (source.ttlSeconds * RENEW_AT * 1000));
        if (!snapshot && !source.resumed && !overlapped) {
            refreshAll(); // what the page did before streams opened with a snapshot
        }
    }

    private synchronized void handleEvent(Source source, String id, String type, JsonNode data, long atMicros) {
        boolean carriesId = !id.isEmpty() && !id.equals(source.previousId);
        if (carriesId) {
            source.previousId = id;
            if (!isAfter(id, lastSeenId)) {
                return;
            }
            lastSeenId = id;
        } else if (source != primary) {
            return;
        }
        applyEvent(type, data, atMicros);
    }

    private synchronized void handleEnd(Source source) {
        if (source == pending) {
            pending = null;
            if (primary != null) {
                failed();
                return;
            }
        } else {
            primary = null;
            if (pending != null) {
                return;
            }
        }
        boolean livedLongEnough = source.connectedAtNanos > 0
                && System.nanoTime() - source.connectedAtNanos >= TimeUnit.MILLISECONDS.toNanos(HEALTHY_LIFETIME_MS);
        if (livedLongEnough) {
            failures = 0;
            cancelRenewal();
            reconnects++;
            schedule(() -> connect(false), 500 + ThreadLocalRandom.current().nextLong(2500));
        } else {
            failed();
        }
    }

    private synchronized void renew() {
        if (!running || pending != null) {
            return;
        }
        renewals++;
        timers.execute(() -> connect(false));
    }

    private synchronized void failed() {
        failures++;
        if (primary != null) {
            schedule(this::renew, backoff(failures, 30_000));
            return;
        }
        if (failures >= MAX_FAILURES) {
            giveUp("failing");
            return;
        }
        schedule(() -> connect(true), backoff(failures, 30_000));
    }

    /** The server could not be reached: retry (1 s, 2 s, 4 s, at most 5 s) without counting it as a failure. */
    private synchronized void unreachable() {
        unreachableAttempts++;
        long delay = backoff(unreachableAttempts, 5000);
        if (primary != null) {
            schedule(this::renew, delay);
            return;
        }
        schedule(() -> connect(true), delay);
    }

    private synchronized void giveUp(String why) {
        run.error("live stream", new IOException("gave up: " + why));
        running = false;
    }

    private void cancelRenewal() {
        if (renewTimer != null) {
            renewTimer.cancel(false);
        }
    }

    private ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        try {
            return timers.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            return null;
        }
    }

    /** 1 s, 2 s, 4 s … up to {@code cap} (30 s unless given), with ±25 % jitter, as live-stream.js backs off. */
    private static long backoff(int attempts, long cap) {
        double base = 1000 * Math.pow(2, Math.max(0, attempts - 1));
        return (long) (Math.min(base, cap) * (0.75 + ThreadLocalRandom.current().nextDouble() * 0.5));
    }

    // ---- stream-only mode: a plain EventSource with a Bearer header ---------------------------------

    private synchronized void openWithKey() {
        if (!running) {
            return;
        }
        Map<String, String> headers = eventSourceHeaders();
        headers.put("Authorization", "Bearer " + api.key());
        if (!lastSeenId.isEmpty()) {
            headers.put("Last-Event-ID", lastSeenId);
        }
        Source source = new Source();
        source.stream = new BlockingEventStream(run.client, streamTarget(), headers, run.tally, STREAM, new Handler());
        primary = source;
        streamsOpened++;
        source.stream.start("live-stream-" + streamsOpened);
    }

    /** The stream's path and query: the channels, and for this server's clients the snapshot and thinning. */
    private String streamTarget() {
        StringBuilder target = new StringBuilder(DashboardApi.BASE).append("/events/stream?channels=")
                .append(encode(CHANNELS));
        if (snapshot) {
            target.append('&').append(SNAPSHOT);
        }
        if (progressIntervalMillis > 0) {
            target.append("&progress_interval_ms=").append(progressIntervalMillis);
        }
        return target.toString();
    }

    // ---- events: main.js's onEvent ------------------------------------------------------------------

    private void applyEvent(String type, JsonNode data, long atMicros) {
        if ("download_progress".equals(type)) {
            run.sightings.sawEvent(data, atMicros);
        }
        if ("snapshot".equals(type)) {
            if ("queue".equals(data.path("view").asText()) && data.path("data").isObject()) {
                showQueue(data.path("data"), atMicros);
            }
            return;
        }
        if (!dashboard) {
            return;
        }
        switch (type) {
            case "download_progress" -> refetchUnlessShown(data.path("download_id").asText());
            case "queue_update" -> {
                String action = data.path("action").asText();
                if ("status_changed".equals(action) || "added".equals(action)) {
                    refetchUnlessShown(data.path("download_id").asText());
                } else {
                    queue.request();
                }
            }
            case "stats_update" -> {
                stats.request();
                timeline.request();
            }
            case "resync" -> {
                if (!data.path("snapshot_follows").asBoolean()) {
                    refreshAll();
                }
            }
            default -> {
                // storage_update and system_notification are applied without a request
            }
        }
    }

    /** main.js's refetchQueueFor: a download the queue view does not show yet costs one refetch, once. */
    private void refetchUnlessShown(String id) {
        if (!onScreen.contains(id) && refetchedFor.add(id)) {
            queue.request();
        }
    }

    /** Stream ids are Redis stream ids, {@code MILLIS-SEQ}; true when {@code id} comes after {@code last}. */
    static boolean isAfter(String id, String last) {
        if (last == null || last.isEmpty()) {
            return true;
        }
        long[] a = parseId(id);
        long[] b = parseId(last);
        return a[0] != b[0] ? a[0] > b[0] : a[1] > b[1];
    }

    private static long[] parseId(String id) {
        int dash = id.indexOf('-');
        try {
            return dash < 0 ? new long[] {Long.parseLong(id), 0}
                    : new long[] {Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1))};
        } catch (NumberFormatException malformed) {
            throw new IllegalArgumentException("not a stream id: " + id);
        }
    }

    private Map<String, String> eventSourceHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "text/event-stream");
        headers.put("Cache-Control", "no-cache");
        if (gzip) {
            headers.put("Accept-Encoding", "gzip"); // a browser's EventSource sends it (with more codings)
        }
        return headers;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private final class Handler implements BlockingEventStream.Handler {
        @Override
        public void onOpen(BlockingEventStream stream, int status) {
            if (status != 200) {
                run.error("stream", new IOException("status " + status));
            }
        }

        @Override
        public void onRetry(BlockingEventStream stream, long millis) {
            synchronized (LiveDashboard.this) {
                retryMillis = millis;
            }
        }

        @Override
        public void onEvent(BlockingEventStream stream, String lastEventId, String type, String data, long atMicros) {
            synchronized (LiveDashboard.this) {
                eventCounts.merge(type, 1L, Long::sum);
                Source source = sourceOf(stream);
                if (!running || source == null) {
                    return;
                }
                if (!dashboard) {
                    lastSeenId = lastEventId;
                }
                JsonNode json;
                try {
                    json = api.mapper().readTree(data);
                } catch (IOException malformed) {
                    run.error("event data", malformed);
                    return;
                }
                switch (type) {
                    case "connected" -> {
                        if (dashboard) {
                            handleConnected(source);
                        }
                    }
                    case "heartbeat" -> {
                        // keeps the page's watchdog quiet; nothing to do here
                    }
                    case "resync" -> applyEvent(type, json, atMicros);
                    default -> {
                        if (dashboard) {
                            handleEvent(source, lastEventId, type, json, atMicros);
                        } else {
                            applyEvent(type, json, atMicros);
                        }
                    }
                }
            }
        }

        @Override
        public void onEnd(BlockingEventStream stream, String reason) {
            synchronized (LiveDashboard.this) {
                endReasons.merge(reason, 1L, Long::sum);
                Source source = sourceOf(stream);
                if (!running || source == null) {
                    return;
                }
                if (dashboard) {
                    handleEnd(source);
                } else {
                    primary = null;
                    reconnects++;
                    schedule(LiveDashboard.this::openWithKey, retryMillis);
                }
            }
        }
    }
}
