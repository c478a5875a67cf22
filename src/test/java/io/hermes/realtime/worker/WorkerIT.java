package io.hermes.realtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.downloads.DownloadStore;
import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.FileServer;
import io.hermes.realtime.testing.RedisSnapshot;
import io.hermes.realtime.testing.Skip;
import io.hermes.realtime.testing.SseEvent;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

/** The built-in worker against a real HTTP server: progress that moves, files that land, failures that explain. */
class WorkerIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TestRedis redis = TestRedis.shared();
    private final List<TestServer> servers = new ArrayList<>();
    private FileServer files;
    @TempDir
    Path downloads;
    @TempDir
    Path temp;

    @BeforeEach
    void start() throws Exception {
        redis.flush();
        files = new FileServer(40);
    }

    @AfterEach
    void stop() throws Exception {
        for (TestServer server : servers) {
            server.close();
        }
        files.close();
    }

    private TestServer server(Map<String, String> extra) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(Settings.DOWNLOAD_DIR, downloads.toString(),
                Settings.TEMP_DIR, temp.toString(), Settings.ALLOW_PRIVATE_URLS, "true"));
        settings.putAll(extra);
        TestServer server = TestServer.start(settings);
        servers.add(server);
        return server;
    }

    @Test
    void anIdleWorkerStartsADownloadQueuedHereAtOnce() throws Exception {
        TestServer server = server(Map.of());
        List<Long> waits = new ArrayList<>();
        try (JedisPooled jedis = new JedisPooled(redis.url())) {
            for (int i = 0; i < 5; i++) {
                String id = server.downloads().submit(files.uri("/fast/" + 1024).toString());
                server.downloads().awaitStatus(id, "completed", WAIT);
                Map<String, String> record = jedis.hgetAll("hermes:download:" + id);
                waits.add(Long.parseLong(record.get("started_ms")) - Long.parseLong(record.get("created_ms")));
            }
        }
        List<Long> sorted = waits.stream().sorted().toList();
        System.out.printf("WorkerIT: queued to started %s ms (the worker used to look every 500 ms)%n", waits);
        assertTrue(sorted.get(2) < 150, "median wait from queued to started: " + waits);
    }

    @Test
    void downloadMovesVisiblyCompletesAndEveryViewReflectsIt() throws Exception {
        TestServer server = server(Map.of());
        long size = 40L * 64 * 1024; // 40 pieces, 40 ms apart: about 1.6 s
        try (SseTestClient stream = server.stream("/events/stream?channels=download,queue,stats,storage")) {
            stream.awaitConnected(WAIT);
            String id = server.downloads().submit(files.uri("/slow/" + size).toString());
            List<JsonNode> progress = new ArrayList<>();
            JsonNode last;
            do {
                SseEvent event = stream.next(e -> e.name().equals("download_progress"), WAIT);
                last = Events.json(event.data());
                progress.add(last);
            } while (!last.path("status").asText().equals("completed"));
            List<JsonNode> running = progress.stream().filter(p -> p.path("status").asText().equals("downloading")
                    && p.path("progress").path("downloaded_bytes").asLong() > 0).toList();
            assertTrue(running.size() >= 3, "progress moved in steps: " + running.size());
            double previous = -1;
            for (JsonNode step : running) {
                double percentage = step.path("progress").path("percentage").asDouble();
                assertTrue(percentage >= previous, "percentage never goes back");
                previous = percentage;
                assertEquals(size, step.path("progress").path("total_bytes").asLong());
            }
            JsonNode middle = running.get(running.size() / 2).path("progress");
            assertTrue(middle.path("speed").asDouble() > 0, "speed known while running");
            assertTrue(middle.path("eta").isNumber(), "eta known while running");
            assertEquals(100.0, last.path("progress").path("percentage").asDouble());
            assertEquals("stats_update", stream.next(e -> e.name().equals("stats_update"), WAIT).name());
            assertTrue(Events.json(stream.next(e -> e.name().equals("storage_update"), WAIT).data()).has("used_space"));

            JsonNode done = server.downloads().status(id);
            assertEquals("completed", done.path("status").asText());
            assertEquals(size, done.path("result").path("fileSize").asLong());
            Path file = downloads.resolve(done.path("result").path("title").asText());
            byte[] bytes = Files.readAllBytes(file);
            assertEquals(size, bytes.length);
            for (int i = 0; i < bytes.length; i += 4099) {
                assertEquals(FileServer.expected(i), bytes[i], "byte " + i);
            }
            try (Stream<Path> left = Files.list(temp)) {
                assertEquals(0, left.count(), "no partial file left");
            }

            String today = LocalDate.now(ZoneOffset.UTC).toString();
            JsonNode stats = Events.json(server.get("/stats?period=day").body());
            assertEquals(1, stats.path("totalDownloads").asInt());
            assertEquals(1, stats.path("successfulDownloads").asInt());
            assertEquals(size, stats.path("totalBandwidthUsed").asLong());
            JsonNode history = Events.json(server.get("/history").body());
            assertEquals(id, history.path("items").get(0).path("downloadId").asText());
            JsonNode timeline = Events.json(server.get("/timeline?start_date=" + today + "&end_date=" + today).body());
            assertEquals(1, timeline.get(0).path("downloads").asInt());
            assertEquals(1, Events.json(server.get("/timeline/summary").body()).path("totalDownloads").asInt());
            assertTrue(Events.json(server.get("/storage").body()).path("downloadsSize").asLong() >= size);
        }
    }

    @Test
    void cancelStopsARunningTransferWithinOneSecondAndRemovesItsPartialFile() throws Exception {
        TestServer server = server(Map.of());
        String path = "/slow/" + 400L * 64 * 1024; // 16 s at this pace: still running when cancelled
        String id = server.downloads().submit(files.uri(path).toString());
        server.downloads().await(id, status -> status.path("progress").path("downloadedBytes").asLong() >= 4 * 64 * 1024,
                "transfer started", WAIT);
        long cancelledAt = System.nanoTime();
        JsonNode answer = Events.json(server.post("/download/" + id + "/cancel", "{}").body());
        assertTrue(answer.path("cancelled").asBoolean());
        long hungUpAt = Await.until(Duration.ofSeconds(5).minusNanos(System.nanoTime() - cancelledAt),
                () -> files.hangUpNanos(path), Objects::nonNull, "the transfer stops");
        double stoppedAfter = (hungUpAt - cancelledAt) / 1e9;
        assertTrue(stoppedAfter < 1.0, "stopped " + stoppedAfter + " s after the cancel");
        assertEquals("cancelled", server.downloads().status(id).path("status").asText());
        Await.until(WAIT, () -> {
            try (Stream<Path> left = Stream.concat(Files.list(temp), Files.list(downloads))) {
                return left.toList();
            }
        }, List::isEmpty, "partial file removed");
    }

    @Test
    void failuresEndFailedWithTheReason() throws Exception {
        TestServer server = server(Map.of(Settings.MAX_DOWNLOAD_BYTES, "100000"));
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        Map<String, String> cases = Map.of(
                files.uri("/missing").toString(), "404",
                "http://127.0.0.1:" + closedPort + "/x", "refused",
                files.uri("/fast/" + 200_000).toString(), "limit");
        for (Map.Entry<String, String> failing : cases.entrySet()) {
            String id = server.downloads().submit(failing.getKey());
            JsonNode failed = server.downloads().awaitStatus(id, "failed", WAIT);
            assertTrue(failed.path("error").asText().toLowerCase().contains(failing.getValue()),
                    failing.getKey() + " → " + failed.path("error").asText());
        }
        JsonNode stats = Events.json(server.get("/stats?period=day").body());
        assertEquals(3, stats.path("failedDownloads").asInt());
        assertTrue(stats.path("errorBreakdown").size() >= 2);
    }

    @Test
    void aLiteralPrivateAddressIsRefusedAtSubmitAndNothingIsStored() throws Exception {
        TestServer server = server(Map.of(Settings.ALLOW_PRIVATE_URLS, "false"));
        Map<String, String> before = RedisSnapshot.of(redis);
        for (String url : List.of(files.uri("/fast/1000").toString(), "http://localhost:" + files.uri("/").getPort() + "/x",
                "http://[::1]/x", "http://2130706433/x", "http://10.1.2.3/x", "http://169.254.169.254/latest/meta-data")) {
            var response = server.post("/download", "{\"url\":\"" + url + "\"}");
            assertEquals(422, response.statusCode(), url + " → " + response.body());
            assertTrue(response.body().contains("HERMES_ALLOW_PRIVATE_URLS"), response.body());
            var batch = server.post("/download/batch", "{\"urls\":[\"https://example.com/a\",\"" + url + "\"]}");
            assertEquals(422, batch.statusCode(), batch.body());
            assertTrue(batch.body().contains("urls[1]"), batch.body());
        }
        assertEquals(before, RedisSnapshot.of(redis), "nothing stored");
        assertEquals(0, files.requestsFor("/fast/1000"), "no request was made");
    }

    @Test
    void aNameThatResolvesToAPrivateAddressIsRefusedByTheWorker() throws Exception {
        // A name passes the submit check (it would have to be resolved); the worker resolves it and refuses.
        String host = java.net.InetAddress.getLocalHost().getHostName();
        boolean resolvesPrivate = java.util.Arrays.stream(java.net.InetAddress.getAllByName(host))
                .anyMatch(address -> address.isLoopbackAddress() || address.isSiteLocalAddress()
                        || address.isLinkLocalAddress());
        Skip.unless(resolvesPrivate && !host.equalsIgnoreCase("localhost"),
                "this machine's host name (" + host + ") does not resolve to a private address");
        TestServer server = server(Map.of(Settings.ALLOW_PRIVATE_URLS, "false"));
        try (SseTestClient stream = server.stream("/events/stream?channels=download")) {
            stream.awaitConnected(WAIT);
            String id = server.downloads().submit("http://" + host + ":" + files.uri("/").getPort() + "/fast/1001");
            JsonNode failed = server.downloads().awaitStatus(id, "failed", WAIT);
            assertTrue(failed.path("error").asText().toLowerCase().contains("private"), failed.toString());
            assertEquals(0, files.requestsFor("/fast/1001"), "no request was made");
            SseEvent event = stream.next(e -> e.name().equals("download_progress") && e.data().contains("\"failed\""), WAIT);
            assertNotNull(Events.json(event.data()).path("error_message").textValue());
        }
    }

    @Test
    void twoInstancesNeverTakeTheSameDownload() throws Exception {
        TestServer one = server(Map.of(Settings.WORKER_CONCURRENCY, "2"));
        TestServer two = server(Map.of(Settings.WORKER_CONCURRENCY, "2"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add((i % 2 == 0 ? one : two).downloads().submit(files.uri("/fast/" + (10_000 + i)).toString()));
        }
        for (String id : ids) {
            one.downloads().awaitStatus(id, "completed", WAIT);
        }
        for (int i = 0; i < 30; i++) {
            assertEquals(1, files.requestsFor("/fast/" + (10_000 + i)), "download " + i + " fetched once");
        }
        try (Stream<Path> landed = Files.list(downloads)) {
            assertEquals(30, landed.count());
        }
    }

    @Test
    void downloadLeftRunningByADeadWorkerIsRecovered() throws Exception {
        TestServer webOnly = server(Map.of(Settings.WORKER_ENABLED, "false"));
        String id = webOnly.downloads().submit(files.uri("/fast/5000").toString());
        try (JedisPooled jedis = new JedisPooled(redis.url())) {
            // A worker that claims it and dies: its lease is never renewed.
            assertEquals(id, new DownloadStore(jedis, Clock.systemUTC()).claim(1).orElseThrow());
        }
        assertEquals("downloading", webOnly.downloads().status(id).path("status").asText());
        TestServer rescuer = server(Map.of(Settings.WORKER_LEASE, "3"));
        JsonNode done = rescuer.downloads().awaitStatus(id, "completed", WAIT);
        assertFalse(done.path("result").isNull());
        assertEquals(1, files.requestsFor("/fast/5000"));
    }
}
