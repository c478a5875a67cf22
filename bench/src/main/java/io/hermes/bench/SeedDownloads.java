package io.hermes.bench;

import io.hermes.realtime.bus.EnvelopeCodec;
import io.hermes.realtime.bus.EventPublisher;
import io.hermes.realtime.downloads.Download;
import io.hermes.realtime.downloads.DownloadEvents;
import io.hermes.realtime.downloads.DownloadStore;
import io.hermes.realtime.downloads.NewDownload;
import io.hermes.realtime.downloads.ProgressSteps;
import io.hermes.realtime.downloads.Status;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.json.Timestamps;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.JedisPooled;

/**
 * Stores the downloads of a {@link SeedPlan} through the server's own {@link DownloadStore}, each moved
 * along the path a real one takes, with the store's clock set to the planned moment of each step:
 * {@code create} (the record, the indexes, the queue), {@code claim.lua} (downloading, started_at, lease),
 * {@code progress.lua} for running ones, and {@code transition.lua} to completed, failed or cancelled with
 * the fields the worker and the cancel endpoint set. So the per-day statistics, the history and the
 * status indexes are exactly what the server itself would have written over those 30 days. No events
 * are published (nobody watched then).
 *
 * <p>Queued downloads are stored last, because {@code claim.lua} takes the oldest queued download: each
 * earlier one is claimed right after it is created, while it is the only one waiting. Running and queued
 * downloads stay as they are only while no worker runs ({@code HERMES_WORKER_ENABLED=false}).
 */
public final class SeedDownloads {
    private static final Set<String> OPTIONS = Set.of("redis", "count", "days", "profile", "seed", "append");
    private static final long LEASE_MS = 30_000;

    private SeedDownloads() {
    }

    /** A clock the seeder moves to each step's planned moment. */
    static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    public static void main(String[] argv) throws Exception {
        Args args;
        try {
            args = new Args(argv, OPTIONS);
        } catch (IllegalArgumentException badOption) {
            System.err.println("SeedDownloads: " + badOption.getMessage());
            System.exit(2);
            return;
        }
        int count = args.integer("count", 10_000, 1, 10_000_000);
        int days = args.integer("days", 30, 1, 366);
        SeedPlan.Profile profile = SeedPlan.Profile.valueOf(args.text("profile", "mixed").toUpperCase(Locale.ROOT));
        Instant now = Instant.now();
        List<SeedPlan.Planned> plans = SeedPlan.plan(count, days, profile, now, args.integer("seed", 1, 0, Integer.MAX_VALUE));
        // Queued ones last: claim.lua must find each earlier download alone in the queue.
        List<SeedPlan.Planned> ordered = new ArrayList<>(plans);
        ordered.sort((a, b) -> Boolean.compare(a.status() == SeedPlan.Status.QUEUED, b.status() == SeedPlan.Status.QUEUED));

        try (JedisPooled redis = new JedisPooled(URI.create(args.text("redis", "redis://127.0.0.1:16379")))) {
            long existing = redis.zcard("hermes:downloads");
            if (existing > 0 && !Boolean.parseBoolean(args.text("append", "false"))) {
                System.err.println("SeedDownloads: " + existing + " downloads are stored already; flush the bench Redis"
                        + " or pass --append true");
                System.exit(1);
            }
            if (redis.llen("hermes:queue:pending") > 0) {
                System.err.println("SeedDownloads: downloads wait in hermes:queue:pending; claim.lua would take them");
                System.exit(1);
            }
            SettableClock clock = new SettableClock(now);
            DownloadStore store = new DownloadStore(redis, clock);
            Json json = new Json();
            ProgressSteps steps = new ProgressSteps(store, new DownloadEvents(new EventPublisher(redis, json,
                    new EnvelopeCodec(), clock, 10_000), json, clock), json, LEASE_MS);
            Map<SeedPlan.Status, Integer> done = new EnumMap<>(SeedPlan.Status.class);
            long start = System.nanoTime();
            for (SeedPlan.Planned plan : ordered) {
                store(store, clock, steps, plan);
                done.merge(plan.status(), 1, Integer::sum);
            }
            System.out.printf(Locale.ROOT, "seeded %d downloads in %.1f s: %s%n", plans.size(),
                    (System.nanoTime() - start) / 1e9, done);
        }
    }

    private static void store(DownloadStore store, SettableClock clock, ProgressSteps steps, SeedPlan.Planned plan) {
        clock.set(plan.created());
        Download created = store.create(new NewDownload(plan.url(), "best", null, false, false, null, null, null, "normal",
                null), plan.owner());
        String id = created.id();
        if (plan.claimed()) {
            clock.set(plan.started());
            String claimed = store.claim(LEASE_MS).orElseThrow(() -> new IllegalStateException("nothing to claim"));
            if (!claimed.equals(id)) {
                throw new IllegalStateException("claim.lua took " + claimed + " instead of " + id);
            }
        }
        switch (plan.status()) {
            case QUEUED -> {
                // stays in the queue
            }
            case DOWNLOADING -> {
                clock.set(Instant.now());
                double elapsed = Math.max(1, (Instant.now().toEpochMilli() - plan.started().toEpochMilli()) / 1000.0);
                // The worker's step, by the same code; it is published too, as the worker's is.
                steps.record(store.find(id).orElseThrow(), plan.downloadedBytes(), plan.size(), elapsed, plan.fileName());
            }
            case COMPLETED -> {
                clock.set(plan.finished());
                requireApplied(store.complete(id, new DownloadStore.CompletedFile(plan.fileName(), plan.size(),
                        plan.fileName(), plan.transfer())), id, Status.COMPLETED);
            }
            case FAILED -> {
                clock.set(plan.finished());
                requireApplied(store.fail(id, plan.errorMessage(), plan.errorType()), id, Status.FAILED);
            }
            case CANCELLED -> {
                clock.set(plan.finished());
                // DownloadsServlet's cancel: these two fields, from queued or running.
                apply(store, id, Status.CANCELLED, Set.of(Status.QUEUED, Status.DOWNLOADING, Status.PROCESSING),
                        Map.of("message", "Cancelled by user", "completed_at", Timestamps.format(plan.finished())));
            }
            default -> throw new IllegalStateException(plan.status().name());
        }
    }

    private static void apply(DownloadStore store, String id, Status to, Set<Status> from, Map<String, String> fields) {
        requireApplied(store.transition(id, to, from, fields), id, to);
    }

    private static void requireApplied(DownloadStore.Transition change, String id, Status to) {
        if (!change.applied()) {
            throw new IllegalStateException("transition of " + id + " to " + to.wire() + ": " + change.outcome());
        }
    }
}
