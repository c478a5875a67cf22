package io.hermes.realtime.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.FileServer;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.ResumingStream;
import io.hermes.realtime.testing.SentinelSet;
import io.hermes.realtime.testing.Skip;
import io.hermes.realtime.testing.SseEvent;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.StreamEntryID;

/**
 * A Sentinel failover with real processes: Debian's {@code redis-server} as master and replica, three
 * {@code redis-sentinel}s (quorum 2), the master killed with SIGKILL while 100 streams are open and a
 * publisher posts {@code /events/publish} at a steady pace. The replica is held (SIGSTOP) for a moment
 * before the kill, so the new master lacks the last events the old one acknowledged and delivered, as
 * asynchronous replication allows.
 *
 * <p>It asserts: streams stay open or resume; publishing and delivery come back within Sentinel's
 * detection and failover time plus a few seconds; every event published after the kill reaches every
 * stream; an acknowledged event missing from a stream has a {@code resync} before the next event it
 * received (never a silent gap); no stream gets an event twice or out of order; polling answers the
 * contract's 503 while no master answers and 200 again by itself; a client resuming with an id the new master
 * never had gets {@code resync}; the old master, restarted, serves as a replica and no instance of ours
 * connects to it; and a download running across the failover, and one queued during it, each complete
 * after one transfer. Then the same through two instances, the publisher on one, streams on both.
 *
 * <p>Skipped, with a message, when {@code redis-server} or {@code redis-sentinel} is not installed.
 */
class SentinelFailoverIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int DOWN_AFTER_MILLIS = 1000;
    private static final int FAILOVER_TIMEOUT_MILLIS = 5000;
    /** Detection, election and promotion, then the clients' backoff, on a loaded two-core machine. */
    private static final Duration BACK_WITHIN = Duration.ofMillis(DOWN_AFTER_MILLIS + FAILOVER_TIMEOUT_MILLIS)
            .plusSeconds(10);
    private static final int STREAMS = 100;
    private static final long PUBLISH_EVERY_MILLIS = 50;
    /** How long the replica is held before the master dies: the events of that moment exist only on the master. */
    private static final long REPLICA_HELD_MILLIS = 300;
    private static final Set<String> OURS = Set.of("queue_update", "resync");

    private final List<AutoCloseable> opened = new ArrayList<>();
    private SentinelSet redis;

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception ignored) {
                // the next one still closes
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void oneInstanceKeepsStreamsWholeAndRunsEachDownloadOnceAcrossAFailover(@org.junit.jupiter.api.io.TempDir Path files)
            throws Exception {
        failover(1, files);
    }

    @Test
    void twoInstancesOnOneSentinelSetKeepEveryStreamWholeAcrossAFailover(@org.junit.jupiter.api.io.TempDir Path files)
            throws Exception {
        failover(2, files);
    }

    private void failover(int instances, Path files) throws Exception {
        Skip.unless(SentinelSet.available(), "redis-server and redis-sentinel (Debian's packages redis-server and"
                + " redis-sentinel; .ci/run installs them)");
        redis = SentinelSet.start(DOWN_AFTER_MILLIS, FAILOVER_TIMEOUT_MILLIS);
        int oldMaster = redis.masterPort();
        int replica = otherServer(oldMaster);
        boolean withWorker = instances == 1;
        FileServer origin = new FileServer(20);
        opened.add(origin);

        List<TestServer> servers = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            // Two instances: the publishing one waits for the replica (HERMES_REDIS_WAIT_REPLICAS=1).
            TestServer server = TestServer.start(TestRedis.at(URI.create("redis://127.0.0.1:1")),
                    settings(files, i, withWorker, instances > 1 && i == 0 ? 1 : 0));
            opened.add(server);
            servers.add(server);
        }
        for (TestServer server : servers) {
            Await.until(WAIT, () -> Http.get(server.api("/health")).statusCode() == 200, "the instance is healthy");
        }
        List<ResumingStream> streams = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            ResumingStream stream = ResumingStream.open(servers.get(i % instances).api("/events/queue"),
                    Map.of("Authorization", "Bearer " + TestServer.ADMIN_KEY), Duration.ofMillis(500));
            opened.add(stream);
            streams.add(stream);
        }
        for (ResumingStream stream : streams) {
            assertTrue(stream.awaitConnected(WAIT), "every stream opens");
        }

        TestServer publishVia = servers.get(0);
        Publisher publisher = new Publisher(publishVia);
        opened.add(publisher);
        publisher.start();
        Await.until(WAIT, () -> publisher.acknowledged().size() >= 20, "the publisher gets going");
        Await.until(WAIT, () -> streams.stream().allMatch(stream -> !stream.received().isEmpty()), "events flow");

        String running = null;
        if (withWorker) {
            running = publishVia.downloads().submit(origin.uri("/gated/2000000").toString());
            String id = running;
            publishVia.downloads().awaitStatus(id, "downloading", WAIT);
            Await.until(WAIT, () -> "downloading".equals(hget(replica, "hermes:download:" + id, "status")),
                    "the replica has the claim");
        }

        boolean waits = instances > 1;
        if (waits) {
            assertEquals(0.0, unreplicated(publishVia), "with the replica in sync, WAIT hears it for every event");
        }

        // The kill. The replica is held first and cut off, so what the master acknowledges in that moment
        // is lost with it: the replica's kernel still receives what was sent to it before the cut (so holding
        // it alone loses nothing), and, held, it cannot reconnect to fetch the rest.
        redis.signal(replica, "STOP");
        try (Jedis master = SentinelSet.server(oldMaster)) {
            master.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "replica");
        }
        int cutAt = publisher.acknowledged().size();
        long heldUntil = System.nanoTime() + REPLICA_HELD_MILLIS * 1_000_000;
        Await.until(WAIT, () -> System.nanoTime() >= heldUntil && publisher.acknowledged().size() >= cutAt + 3,
                "the master acknowledges events the replica lacks");
        if (waits) {
            // WAIT went on the connection that wrote: a WAIT on another one would find every replica up to date.
            assertTrue(unreplicated(publishVia) >= 3, "events the replica lacks are counted as unreplicated");
        }
        long killed = System.nanoTime();
        redis.kill(oldMaster);
        redis.signal(replica, "CONT");
        Poller poller = new Poller(publishVia);
        opened.add(poller);
        poller.start();

        Await.until(WAIT, () -> redis.masterPort() == replica, "the Sentinels promote the replica");
        double promoted = seconds(System.nanoTime() - killed);
        Attempt firstAfter = Await.until(WAIT, () -> publisher.firstAcknowledgedAfter(killed), found -> found != null,
                "a publication succeeds again");
        int firstSeq = firstAfter.seq();
        Await.until(WAIT, () -> streams.stream().allMatch(stream -> maxSeq(stream) >= firstSeq),
                "every stream receives events again");
        double deliveryBack = seconds(System.nanoTime() - killed);
        double publishBack = seconds(firstAfter.endNanos() - killed);

        String queuedDuring = null;
        if (withWorker) {
            queuedDuring = publishVia.downloads().submit(origin.uri("/gated/300000").toString());
            origin.openGate();
        }
        Await.until(WAIT, () -> publisher.acknowledged().size() >= firstSeq + 20, "publishing goes on after it");
        publisher.stop();
        poller.stop();

        // Everything acknowledged before the last publication has had its chance to arrive once it has.
        int last = publisher.publishOnce(1_000_000);
        Await.until(WAIT, () -> streams.stream().allMatch(stream -> maxSeq(stream) == last), "the last event everywhere");

        Map<Integer, Attempt> acknowledged = publisher.acknowledged();
        Set<Integer> lostByRedis = new java.util.TreeSet<>();
        try (Jedis now = SentinelSet.server(replica)) {
            for (Attempt attempt : acknowledged.values()) {
                if (now.xrange(EventPublisher.REPLAY_STREAM, new StreamEntryID(attempt.id()),
                        new StreamEntryID(attempt.id()), 1).isEmpty()) {
                    lostByRedis.add(attempt.seq());
                }
            }
        }
        int resynced = 0;
        int missingWorst = 0;
        for (ResumingStream stream : streams) {
            Check check = check(stream.received(), acknowledged, killed);
            resynced += check.resyncs() > 0 ? 1 : 0;
            missingWorst = Math.max(missingWorst, check.missing());
        }

        List<Poll> polls = poller.answers();
        List<Poll> refused = polls.stream().filter(poll -> poll.status() != 200).toList();
        for (Poll poll : refused) {
            assertEquals(503, poll.status(), "while no master answers, polling answers 503: " + poll.body());
            JsonNode body = Events.json(poll.body());
            assertEquals("http_503", body.path("error").path("code").asText(), poll.body());
            assertTrue(body.path("detail").asText().contains("Redis"), poll.body());
        }
        assertTrue(!refused.isEmpty(), "some poll fell into the outage: " + polls.size() + " polls");
        assertEquals(200, polls.get(polls.size() - 1).status(), "polling recovers by itself");
        assertEquals(200, publishVia.get("/queue").statusCode());

        if (!lostByRedis.isEmpty()) {
            // A client resuming from an event the new master never had is told so.
            String lostId = acknowledged.get(lostByRedis.iterator().next()).id();
            try (SseTestClient resuming = publishVia.stream("/events/queue", Map.of("Last-Event-ID", lostId))) {
                SseEvent first = resuming.next(event -> OURS.contains(event.name()), WAIT);
                assertEquals("resync", first.name(), "an id the new master never had gets a resync: " + first);
            }
        }

        // The old master comes back empty, as a master; the Sentinels make it a replica of the new one.
        redis.restart(oldMaster);
        Await.until(WAIT, () -> SentinelSet.replicaOf(oldMaster, replica), "the old master serves as a replica");
        int after = publisher.publishOnce(2_000_000);
        Await.until(WAIT, () -> streams.stream().allMatch(stream -> maxSeq(stream) == after),
                "events published after the old master returned arrive");
        try (Jedis demoted = SentinelSet.server(oldMaster)) {
            demoted.clientSetname("the-test");
            for (String client : demoted.clientList().split("\n")) {
                boolean sentinelOrMaster = client.contains(" name=sentinel-") || client.contains(" flags=M ");
                assertTrue(sentinelOrMaster || client.contains(" name=the-test "),
                        "nothing of ours connects to the demoted master: " + client);
            }
        }

        String downloads = "";
        if (withWorker) {
            for (String id : List.of(running, queuedDuring)) {
                JsonNode done = publishVia.downloads().awaitStatus(id, "completed", WAIT);
                assertEquals("1", hget(replica, "hermes:download:" + id, "attempts"), "claimed once: " + done);
            }
            assertEquals(1, origin.requestsFor("/gated/2000000"), "the download running across the failover ran once");
            assertEquals(1, origin.requestsFor("/gated/300000"), "the download queued during it ran once");
            downloads = "; two downloads completed after one transfer each";
        }
        System.out.printf(Locale.ROOT, "SentinelFailoverIT, %d instance(s), %d streams, %d events/s: Sentinel promoted the"
                + " replica %.1f s after the kill; publishing back after %.1f s; delivery back at every stream after %.1f s;"
                + " %d acknowledged event(s) lost by Redis; %d of %d streams sent resync; at most %d acknowledged"
                + " event(s) missing from a stream, each after a resync; %d of %d polls answered 503%s%n",
                instances, STREAMS, 1000 / PUBLISH_EVERY_MILLIS, promoted, publishBack, deliveryBack, lostByRedis.size(),
                resynced, STREAMS, missingWorst, refused.size(), polls.size(), downloads);
        assertTrue(Duration.ofNanos((long) (publishBack * 1e9)).compareTo(BACK_WITHIN) < 0, "publishing back in time");
        assertTrue(Duration.ofNanos((long) (deliveryBack * 1e9)).compareTo(BACK_WITHIN) < 0, "delivery back in time");
    }

    /**
     * What one stream received, checked: sequences only rise (nothing twice, nothing out of order); every
     * event acknowledged after the kill is there; every acknowledged event that is not has a resync after
     * the last event before it and before the first event after it.
     */
    private static Check check(List<SseEvent> received, Map<Integer, Attempt> acknowledged, long killed) {
        List<Integer> seqs = new ArrayList<>();
        List<Integer> resyncAt = new ArrayList<>(); // positions in seqs before which a resync came
        for (SseEvent event : received) {
            if (event.name().equals("resync")) {
                resyncAt.add(seqs.size());
            } else if (seqOf(event) >= 0) {
                int seq = seqOf(event);
                assertTrue(seqs.isEmpty() || seq > seqs.get(seqs.size() - 1),
                        () -> "events arrive once and in order: " + seq + " after " + seqs);
                seqs.add(seq);
            }
        }
        int first = seqs.get(0);
        int missing = 0;
        for (Attempt attempt : acknowledged.values()) {
            if (attempt.seq() <= first || seqs.contains(attempt.seq())) {
                continue;
            }
            assertTrue(attempt.startNanos() < killed, "event " + attempt.seq()
                    + ", published after the kill, reaches every stream");
            int next = 0;
            while (next < seqs.size() && seqs.get(next) < attempt.seq()) {
                next++;
            }
            int before = next;
            assertTrue(resyncAt.stream().anyMatch(at -> at == before),
                    "acknowledged event " + attempt.seq() + " is missing with no resync before the next event: " + seqs);
            missing++;
        }
        return new Check(resyncAt.size(), missing);
    }

    private record Check(int resyncs, int missing) {
    }

    /** The publisher's sequence number, or -1 for any other event (the worker's queue updates). */
    private static int seqOf(SseEvent event) {
        return event.name().equals("queue_update") ? Events.json(event.data()).path("seq").asInt(-1) : -1;
    }

    private static int maxSeq(ResumingStream stream) {
        int max = -1;
        for (SseEvent event : stream.received()) {
            max = Math.max(max, seqOf(event));
        }
        return max;
    }

    private Map<String, String> settings(Path files, int index, boolean worker, int waitReplicas)
            throws java.io.IOException {
        Map<String, String> settings = new HashMap<>();
        settings.put(Settings.REDIS_WAIT_REPLICAS, Integer.toString(waitReplicas));
        settings.put(Settings.REDIS_SENTINELS, redis.sentinelAddresses());
        settings.put(Settings.CANARY_INTERVAL, "1");
        settings.put(Settings.HEARTBEAT_INTERVAL, "1");
        settings.put(Settings.WORKER_ENABLED, Boolean.toString(worker));
        settings.put(Settings.ALLOW_PRIVATE_URLS, "true");
        settings.put(Settings.DOWNLOAD_DIR, Files.createDirectories(files.resolve("downloads-" + index)).toString());
        settings.put(Settings.TEMP_DIR, Files.createDirectories(files.resolve("temp-" + index)).toString());
        return settings;
    }

    private static double unreplicated(TestServer server) throws Exception {
        return io.hermes.realtime.testing.Scrape.parse(server.get("/metrics").body())
                .value("hermes_bus_publish_unreplicated_total");
    }

    private int otherServer(int master) {
        try (Jedis server = SentinelSet.server(master)) {
            String info = server.info("replication");
            for (String line : info.split("\r\n")) {
                if (line.startsWith("slave0:")) {
                    return Integer.parseInt(line.replaceAll(".*port=(\\d+).*", "$1"));
                }
            }
        }
        throw new IllegalStateException("the master has no replica");
    }

    private static String hget(int port, String key, String field) {
        try (Jedis server = SentinelSet.server(port)) {
            return server.hget(key, field);
        } catch (RuntimeException notNow) {
            return null;
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** One publication: its sequence number, when it was sent and answered, and the id Redis gave it, if any. */
    private record Attempt(int seq, long startNanos, long endNanos, String id) {
    }

    /** One answer of the poller. */
    private record Poll(long nanos, int status, String body) {
    }

    /**
     * Posts a {@code queue_update} with the next sequence number to {@code /events/publish} every
     * {@link #PUBLISH_EVERY_MILLIS}, recording what was acknowledged; a refused one is not retried (its
     * number is simply never acknowledged). Its thread ({@code failover-publisher}) is started and stopped by
     * the test.
     */
    private static final class Publisher implements AutoCloseable {
        private final TestServer server;
        private final ConcurrentMap<Integer, Attempt> acknowledged = new ConcurrentHashMap<>();
        private final Thread thread = new Thread(this::run, "failover-publisher");
        private volatile boolean stopping;
        private int next;

        Publisher(TestServer server) {
            this.server = server;
        }

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        Map<Integer, Attempt> acknowledged() {
            return new java.util.TreeMap<>(acknowledged);
        }

        Attempt firstAcknowledgedAfter(long nanos) {
            return acknowledged.values().stream().filter(attempt -> attempt.startNanos() > nanos)
                    .min(java.util.Comparator.comparingInt(Attempt::seq)).orElse(null);
        }

        private void run() {
            long due = System.nanoTime();
            while (!stopping) {
                attempt(next++);
                due += PUBLISH_EVERY_MILLIS * 1_000_000;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    try {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // the publishing pace
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                } else {
                    due = System.nanoTime();
                }
            }
        }

        /** Publishes {@code seq} until it is acknowledged; for the markers after the publisher stopped. */
        int publishOnce(int seq) throws InterruptedException {
            Await.until(WAIT, () -> attempt(seq), "event " + seq + " is published");
            return seq;
        }

        private boolean attempt(int seq) {
            long start = System.nanoTime();
            try {
                HttpResponse<String> answer = server.post("/events/publish", "{\"channel\":\"queue:updates\","
                        + "\"type\":\"queue_update\",\"data\":{\"action\":\"status_changed\",\"download_id\":\"f" + seq
                        + "\",\"status\":\"queued\",\"seq\":" + seq + "}}");
                if (answer.statusCode() == 200) {
                    acknowledged.put(seq, new Attempt(seq, start, System.nanoTime(),
                            Events.json(answer.body()).path("id").asText()));
                    return true;
                }
            } catch (java.io.IOException refused) {
                // not acknowledged
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            return false;
        }

        void stop() throws InterruptedException {
            stopping = true;
            thread.join(15_000);
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }

    /**
     * Asks {@code /queue} every 100 ms, as a polling dashboard does, and keeps every answer. Its thread
     * ({@code failover-poller}) is started and stopped by the test.
     */
    private static final class Poller implements AutoCloseable {
        private final TestServer server;
        private final List<Poll> answers = new CopyOnWriteArrayList<>();
        private final Thread thread = new Thread(this::run, "failover-poller");
        private volatile boolean stopping;

        Poller(TestServer server) {
            this.server = server;
        }

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        List<Poll> answers() {
            return List.copyOf(answers);
        }

        private void run() {
            while (!stopping) {
                try {
                    HttpResponse<String> answer = server.get("/queue");
                    answers.add(new Poll(System.nanoTime(), answer.statusCode(), answer.body()));
                    Thread.sleep(100); // the polling pace
                } catch (java.io.IOException failed) {
                    answers.add(new Poll(System.nanoTime(), -1, failed.toString()));
                    stopping = stopping || Thread.currentThread().isInterrupted();
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            stopping = true;
            thread.join(15_000);
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }
}
