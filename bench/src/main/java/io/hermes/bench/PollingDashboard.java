package io.hermes.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard without a live stream: the refresh loops of {@code webapp/js/connection.js} in polling
 * mode, with the intervals of the previous polling client, which that file keeps so that "a server sees
 * the same load from either":
 * <ul>
 *   <li>queue ({@code GET /queue?limit=50}): again after 2 s while a download is active, 10 s while only
 *       queued ones wait, 30 s when idle;</li>
 *   <li>stats: {@code GET /stats?period=week}, {@code /timeline?period=week} and
 *       {@code /timeline/summary?period=week}, every 30 s;</li>
 *   <li>storage ({@code GET /storage}) every 60 s; notifications ({@code GET /notifications?limit=20})
 *       every 30 s;</li>
 *   <li>with {@code --health-recheck true}: {@code GET /events/health} every 30 s from 30 s on, which the
 *       page adds to find its way back to a stream; an old client had no such loop, so it is off by default.</li>
 *   <li>with {@code --accept-encoding gzip}: {@code Accept-Encoding: gzip} on every request, as a browser
 *       sends it; pointed at a Caddy with the project's Caddyfile, JSON answers then come compressed.</li>
 * </ul>
 * Every loop starts at once and waits for its own previous run before it schedules the next, as
 * {@code poller.js} does. Requests revalidate with the ETag of the previous answer, as the browser does
 * for {@code fetch(…, {cache: 'no-cache'})}. Each queue answer records which download states the page
 * now shows ({@link Sightings}).
 */
public final class PollingDashboard {
    private static final Set<String> OPTIONS = Set.of("url", "key", "seconds", "out", "name", "health-recheck",
            "accept-encoding");
    static final long QUEUE_ACTIVE_MS = 2_000;
    static final long QUEUE_QUEUED_MS = 10_000;
    static final long IDLE_MS = 30_000;
    static final long STORAGE_MS = 60_000;
    static final long HEALTH_RECHECK_MS = 30_000;

    private PollingDashboard() {
    }

    public static void main(String[] argv) throws Exception {
        Args args;
        try {
            args = new Args(argv, OPTIONS);
        } catch (IllegalArgumentException badOption) {
            System.err.println("PollingDashboard: " + badOption.getMessage());
            System.exit(2);
            return;
        }
        double seconds = args.decimal("seconds", 60, 1);
        ClientRun run = new ClientRun(args.text("name", "polling"), URI.create(args.text("url", "http://127.0.0.1:18080")),
                args.text("key", "bench-key"), Path.of(args.text("out", ".")));
        boolean health = Boolean.parseBoolean(args.text("health-recheck", "false"));
        // Behind the project's Caddyfile, JSON answers are gzip-compressed for clients that ask, as browsers do.
        String encoding = args.text("accept-encoding", "none");
        if (encoding.equals("gzip")) {
            run.api.acceptGzip();
        } else if (!encoding.equals("none")) {
            System.err.println("PollingDashboard: --accept-encoding is gzip or none");
            System.exit(2);
        }
        run.extra.put("accept_encoding", encoding);
        run.extra.put("health_recheck", health);
        new PollingDashboard.Loops(run, health).runFor(seconds);
        run.write();
    }

    /** The loops of one page. */
    static final class Loops {
        private final ClientRun run;
        private final DashboardApi api;
        private final boolean health;
        private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(5);
        private volatile long deadlineNanos;

        Loops(ClientRun run, boolean health) {
            this.run = run;
            this.api = run.api;
            this.health = health;
        }

        void runFor(double seconds) throws InterruptedException {
            run.started();
            deadlineNanos = System.nanoTime() + (long) (seconds * 1e9);
            List<Loop> loops = new ArrayList<>();
            loops.add(new Loop("queue", this::pollQueue, QUEUE_QUEUED_MS, 0));
            loops.add(new Loop("stats", this::pollStats, IDLE_MS, 0));
            loops.add(new Loop("storage", () -> {
                api.get("/storage", "storage");
                return STORAGE_MS;
            }, STORAGE_MS, 0));
            loops.add(new Loop("notifications", () -> {
                api.get("/notifications?limit=20", "notifications");
                return IDLE_MS;
            }, IDLE_MS, 0));
            if (health) {
                loops.add(new Loop("health", () -> {
                    api.getPublic("/events/health", "events/health");
                    return HEALTH_RECHECK_MS;
                }, HEALTH_RECHECK_MS, HEALTH_RECHECK_MS));
            }
            loops.forEach(loop -> loop.schedule(loop.startDelayMs));
            long left;
            while ((left = deadlineNanos - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, 1_000_000_000L));
            }
            timers.shutdown();
            if (!timers.awaitTermination(30, TimeUnit.SECONDS)) {
                timers.shutdownNow();
            }
            run.ended();
            run.client.close();
        }

        private long pollQueue() throws IOException {
            DashboardApi.Answer answer = api.get("/queue?limit=50", "queue");
            JsonNode queue = answer.body();
            run.sightings.sawQueue(queue, answer.receivedMicros());
            if (queue.path("active").asLong() > 0) {
                return QUEUE_ACTIVE_MS;
            }
            // The page polls queued-only at 2 s for 15 s after the user changed something; nobody does here.
            return queue.path("queued").asLong() > 0 ? QUEUE_QUEUED_MS : IDLE_MS;
        }

        private long pollStats() throws IOException {
            api.get("/stats?period=week", "stats");
            api.get("/timeline?period=week", "timeline");
            api.get("/timeline/summary?period=week", "timeline/summary");
            return IDLE_MS;
        }

        /** One refresh loop: runs, then schedules itself after the delay its run chose. */
        private final class Loop {
            private final String name;
            private final Task task;
            private final long errorDelayMs;
            private final long startDelayMs;

            Loop(String name, Task task, long errorDelayMs, long startDelayMs) {
                this.name = name;
                this.task = task;
                this.errorDelayMs = errorDelayMs;
                this.startDelayMs = startDelayMs;
            }

            void schedule(long delayMs) {
                if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs) >= deadlineNanos) {
                    return;
                }
                timers.schedule(this::runOnce, delayMs, TimeUnit.MILLISECONDS);
            }

            private void runOnce() {
                long next = errorDelayMs;
                try {
                    next = task.run();
                } catch (IOException | RuntimeException failed) {
                    run.error(name, failed);
                }
                schedule(next);
            }
        }
    }

    @FunctionalInterface
    private interface Task {
        long run() throws IOException;
    }
}
