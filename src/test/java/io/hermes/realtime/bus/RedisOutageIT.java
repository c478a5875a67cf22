package io.hermes.realtime.bus;

import static io.hermes.realtime.testing.Events.range;
import static io.hermes.realtime.testing.Events.sequences;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.FileServer;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.LogRecorder;
import io.hermes.realtime.testing.SseEvent;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestPublisher;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Redis stops for 30 s while 500 clients stream and two downloads run, then comes back with its data (an
 * append-only file, as production Redis runs). Throughout, the polling API answers 503 quickly and health
 * says unhealthy; streams stay open on heartbeats; afterwards every client receives every event published
 * after Redis returned, those a producer appended before this instance resubscribed exactly once, and
 * every download completes without being fetched twice. The outage is logged once, not once per retry.
 */
class RedisOutageIT {
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final int CLIENTS = 500;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration POLL_LIMIT = Duration.ofSeconds(1);
    private static final int PACE_MILLIS = 100; // one 64 KiB piece per 100 ms
    /** Ends about 8 s into the outage: its outcome must wait for Redis. */
    private static final String SHORT_DOWNLOAD = "/slow/" + 80L * 64 * 1024;
    /** Runs through the whole outage and ends after it. */
    private static final String LONG_DOWNLOAD = "/slow/" + 400L * 64 * 1024;
    /** Queued behind the two: claimed only once the worker resumes. */
    private static final String QUEUED_DOWNLOAD = "/fast/" + 1_000_000;

    @TempDir
    Path redisData;
    @TempDir
    Path downloads;
    @TempDir
    Path temp;

    /** One polling request the test repeats during the outage, and the status it must answer. */
    private record Probe(String name, int status, HttpRequest.Builder request) {
    }

    @Test
    void thirtySecondsWithoutRedisCloseNoStreamLoseNoEventAndFailNoDownload() throws Exception {
        TestRedis redis = TestRedis.startEmbeddedWithPersistence(redisData);
        List<SseTestClient> clients = new ArrayList<>();
        try (LogRecorder logs = new LogRecorder();
             FileServer files = new FileServer(PACE_MILLIS);
             TestServer server = TestServer.start(redis, Map.of(Settings.HEARTBEAT_INTERVAL, "1",
                     Settings.DOWNLOAD_DIR, downloads.toString(), Settings.TEMP_DIR, temp.toString(),
                     Settings.ALLOW_PRIVATE_URLS, "true", Settings.WORKER_CONCURRENCY, "2"));
             SseTestClient observer = server.stream("/events/stream?channels=download")) {
            observer.awaitConnected(WAIT);
            clients.addAll(openStreams(server, CLIENTS));
            try (TestPublisher publisher = new TestPublisher(redis)) {
                for (int seq = 0; seq < 5; seq++) {
                    publisher.publish(Channel.SYSTEM, Map.of("seq", seq));
                }
            }
            for (SseTestClient client : clients) {
                assertEquals(range(0, 5), sequences(notifications(client, 5)));
            }
            String readerKey = Events.json(server.post("/auth/api-keys",
                    "{\"name\":\"poller\",\"permissions\":[\"read\"]}").body()).path("key").asText();
            String shortId = server.downloads().submit(files.uri(SHORT_DOWNLOAD).toString());
            String longId = server.downloads().submit(files.uri(LONG_DOWNLOAD).toString());
            String queuedId = server.downloads().submit(files.uri(QUEUED_DOWNLOAD).toString());
            for (String id : List.of(shortId, longId)) {
                server.downloads().await(id, status -> status.path("progress").path("downloadedBytes").asLong() > 0,
                        "download " + id + " started", WAIT);
            }
            assertEquals("queued", server.downloads().status(queuedId).path("status").asText());
            clients.forEach(SseTestClient::drainReceived);

            // ---- Redis stops ----
            long stoppedAt = System.nanoTime();
            redis.stop();
            List<Probe> probes = probes(server, readerKey, longId);
            Map<String, Long> slowest = new TreeMap<>();
            int requests = 0;
            while (System.nanoTime() - stoppedAt < OUTAGE.toNanos()) {
                long round = System.nanoTime();
                for (Probe probe : probes) {
                    long started = System.nanoTime();
                    HttpResponse<String> response = Http.send(probe.request());
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                    slowest.merge(probe.name(), millis, Math::max);
                    requests++;
                    assertEquals(probe.status(), response.statusCode(), probe.name() + ": " + response.body());
                    assertTrue(millis < POLL_LIMIT.toMillis(), probe.name() + " took " + millis + " ms");
                    if (response.statusCode() == 503 && !probe.name().contains("health")) {
                        JsonNode error = Events.json(response.body());
                        assertTrue(error.path("detail").asText().contains("Redis"), probe.name() + ": " + error);
                        assertEquals("http_503", error.path("error").path("code").asText());
                    }
                }
                long pause = 1000 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - round);
                if (pause > 0) {
                    TimeUnit.MILLISECONDS.sleep(pause); // one round of polling a second, as impatient clients do
                }
            }
            int fewestHeartbeats = Integer.MAX_VALUE;
            for (SseTestClient client : clients) {
                assertFalse(client.hasEnded(), "a stream ended during the outage");
                List<SseEvent> during = client.drainReceived();
                for (SseEvent event : during) {
                    assertTrue(Set.of("heartbeat", ":").contains(event.name()), "during the outage: " + event);
                }
                fewestHeartbeats = Math.min(fewestHeartbeats,
                        (int) during.stream().filter(event -> event.name().equals("heartbeat")).count());
            }
            assertTrue(fewestHeartbeats >= OUTAGE.toSeconds() - 5, "heartbeats went on: " + fewestHeartbeats);

            // ---- Redis returns with its data ----
            long restartedAt = System.nanoTime();
            redis.start();
            boolean subscribedWhenTheGapWasPublished;
            long resubscribedMillis;
            try (Jedis admin = redis.client(); TestPublisher producer = new TestPublisher(redis)) {
                // Another producer that reaches Redis first appends to the replay stream before this
                // instance resubscribes: the catch-up must deliver these, once.
                subscribedWhenTheGapWasPublished = admin.clientList().contains("flags=P");
                for (int seq = 100; seq < 105; seq++) {
                    producer.publish(Channel.SYSTEM, Map.of("seq", seq));
                }
                for (SseTestClient client : clients) {
                    assertEquals(range(100, 105), sequences(notifications(client, 5)));
                }
                resubscribedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt);
                long liveStarted = System.nanoTime();
                for (int seq = 200; seq < 205; seq++) {
                    producer.publish(Channel.SYSTEM, Map.of("seq", seq));
                }
                for (SseTestClient client : clients) {
                    assertEquals(range(200, 205), sequences(notifications(client, 5)));
                }
                long liveMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - liveStarted);
                // A last event: anything delivered twice would arrive before it, on the one subscriber thread.
                producer.publish(Channel.SYSTEM, Map.of("seq", 300));
                for (SseTestClient client : clients) {
                    assertEquals(List.of(300), sequences(notifications(client, 1)), "nothing was delivered twice");
                    assertFalse(client.hasEnded());
                }
                System.out.printf("RedisOutageIT: %d polling requests during a %d s outage, slowest per endpoint"
                        + " (ms) %s; fewest heartbeats a client received meanwhile %d; all %d clients had the 5"
                        + " events appended before resubscribing %d ms after Redis restarted (subscriber already"
                        + " back when they were appended: %s); 5 live events reached all clients in %d ms%n",
                        requests, OUTAGE.toSeconds(), slowest, fewestHeartbeats, CLIENTS, resubscribedMillis,
                        subscribedWhenTheGapWasPublished, liveMillis);
            }
            assertEquals(CLIENTS + 1, server.activeStreams());

            for (String id : List.of(shortId, longId, queuedId)) {
                server.downloads().awaitStatus(id, "completed", Duration.ofSeconds(60));
            }
            for (String path : List.of(SHORT_DOWNLOAD, LONG_DOWNLOAD, QUEUED_DOWNLOAD)) {
                assertEquals(1, files.requestsFor(path), path + " was fetched once: never failed, never re-queued");
            }
            try (var landed = Files.list(downloads)) {
                assertEquals(3, landed.count());
            }
            for (SseEvent event : observer.drainReceived()) {
                assertFalse(event.data().contains("\"failed\""), "no download was reported failed: " + event.data());
            }
            // /health says 503 until the delivery canary has come back through the restored subscription (within the
            // canary interval and its 2 s of grace after resubscribing); then every endpoint answers as before.
            Await.until(Duration.ofSeconds(20), () -> Http.get(server.api("/health")).statusCode(),
                    status -> status == 200, "/health back to 200 once the canary returns");
            for (Probe probe : probes(server, readerKey, longId)) {
                if (!probe.name().startsWith("POST")) {
                    assertEquals(200, Http.send(probe.request()).statusCode(), probe.name() + " after the outage");
                }
            }

            // One line when the outage starts and one when it ends, however many retries happened between.
            List<String> subscriberWarnings = logs.lines("RedisSubscriber", Level.WARNING, "Redis subscription");
            List<String> restored = logs.lines("RedisSubscriber", Level.INFO, "Redis subscription restored");
            List<String> workerWarnings = logs.lines("DownloadWorker", Level.WARNING, "Redis");
            List<String> workerResumed = logs.lines("DownloadWorker", Level.INFO, "Redis");
            assertEquals(1, subscriberWarnings.size(), subscriberWarnings.toString());
            assertEquals(1, restored.size(), restored.toString());
            assertEquals(1, workerWarnings.size(), workerWarnings.toString());
            assertEquals(1, workerResumed.size(), workerResumed.toString());
            assertTrue(logs.lines("ApiServlet", Level.WARNING).size() <= probes.size(), "at most one warning per endpoint");
            System.out.printf("RedisOutageIT: logged %s | %s | %s%n", subscriberWarnings, restored, workerResumed);
        } finally {
            for (SseTestClient client : clients) {
                client.close();
            }
            redis.stop();
        }
    }

    /** The polling API as clients use it; while Redis is down all of it answers 503 but disk usage and stream health. */
    private static List<Probe> probes(TestServer server, String readerKey, String downloadId) {
        String admin = TestServer.ADMIN_KEY;
        int down = 503;
        List<Probe> probes = new ArrayList<>();
        for (String path : List.of("/queue", "/download/" + downloadId, "/history", "/stats", "/timeline",
                "/timeline/summary", "/notifications", "/auth/api-keys")) {
            probes.add(new Probe("GET " + path, down, Http.request(server.api(path), admin).GET()));
        }
        probes.add(new Probe("GET /queue (stored key)", down, Http.request(server.api("/queue"), readerKey).GET()));
        probes.add(new Probe("GET /storage (stored key)", down, Http.request(server.api("/storage"), readerKey).GET()));
        // Disk usage needs no Redis, and admin keys from HERMES_API_KEYS are checked without it.
        probes.add(new Probe("GET /storage", 200, Http.request(server.api("/storage"), admin).GET()));
        probes.add(new Probe("POST /download", down, json(server.api("/download"), admin,
                "{\"url\":\"https://example.com/file\"}")));
        probes.add(new Probe("POST /notifications", down, json(server.api("/notifications"), admin,
                "{\"message\":\"hello\",\"notificationType\":\"info\"}")));
        probes.add(new Probe("POST /events/token", down, json(server.api("/events/token"), admin,
                "{\"scope\":\"system\"}")));
        probes.add(new Probe("GET /health", down, Http.request(server.api("/health"), null).GET()));
        probes.add(new Probe("GET /health/detailed", down, Http.request(server.api("/health/detailed"), null).GET()));
        probes.add(new Probe("GET /events/health", 200, Http.request(server.api("/events/health"), null).GET()));
        return probes;
    }

    private static HttpRequest.Builder json(java.net.URI uri, String key, String body) {
        return Http.request(uri, key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    /** Opens {@code count} streams on /events/system, several at a time, each past its opening events. */
    private static List<SseTestClient> openStreams(TestServer server, int count) throws Exception {
        ExecutorService opener = Executors.newFixedThreadPool(8);
        try {
            List<Future<SseTestClient>> opening = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                opening.add(opener.submit(() -> {
                    SseTestClient client = server.stream("/events/system");
                    client.next(event -> event.name().equals("init"), WAIT);
                    return client;
                }));
            }
            List<SseTestClient> open = new ArrayList<>();
            for (Future<SseTestClient> client : opening) {
                open.add(client.get(1, TimeUnit.MINUTES));
            }
            return open;
        } finally {
            opener.shutdown();
        }
    }

    /** The next {@code count} notifications; a resync among what arrives meanwhile fails the test. */
    private static List<SseEvent> notifications(SseTestClient client, int count) throws InterruptedException {
        List<SseEvent> found = new ArrayList<>();
        while (found.size() < count) {
            SseEvent event = client.next(WAIT);
            assertFalse(event.name().equals("resync"), "no event was lost, so no resync: " + event);
            if (event.name().equals("system_notification")) {
                found.add(event);
            }
        }
        return found;
    }
}
