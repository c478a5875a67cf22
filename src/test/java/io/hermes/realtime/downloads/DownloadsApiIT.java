package io.hermes.realtime.downloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.RedisSnapshot;
import io.hermes.realtime.testing.SseEvent;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The download and queue endpoints with the worker switched off, so every state is set by the test. */
class DownloadsApiIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final TestRedis redis = TestRedis.shared();
    private TestServer server;
    private String alice;
    private String bob;

    @BeforeEach
    void start() throws Exception {
        redis.flush();
        server = TestServer.start(Map.of(Settings.WORKER_ENABLED, "false"));
        alice = key("alice", "[\"read\",\"write\"]");
        bob = key("bob", "[\"read\",\"write\"]");
        // First use records lastUsed on the key; do it now so later snapshots compare only what requests store.
        Http.get(server.api("/queue"), alice);
        Http.get(server.api("/queue"), bob);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private String key(String owner, String permissions) throws Exception {
        HttpResponse<String> created = server.post("/auth/api-keys",
                "{\"name\":\"" + owner + "\",\"permissions\":" + permissions + ",\"owner\":\"" + owner + "\"}");
        return Events.json(created.body()).path("key").asText();
    }

    /** Submits through the toolkit's client, and checks the answer's contract on every submit. */
    private String submit(String key, String url) throws Exception {
        JsonNode body = server.downloads(key).submitAnswer(url);
        assertEquals("queued", body.path("status").asText());
        assertEquals("Download queued successfully", body.path("message").asText());
        assertTrue(body.has("estimatedCompletion") && body.path("estimatedCompletion").isNull());
        return body.path("downloadId").asText();
    }

    @Test
    void submittedDownloadIsQueuedVisibleAndAnnounced() throws Exception {
        try (SseTestClient stream = SseTestClient.open(server.api("/events/stream?channels=download,queue"),
                Map.of("Authorization", "Bearer " + alice))) {
            stream.awaitConnected(WAIT);
            String id = submit(alice, "https://example.org/files/big.iso");
            SseEvent progress = stream.next(e -> e.name().equals("download_progress"), WAIT);
            JsonNode data = Events.json(progress.data());
            assertEquals(List.of("download_id", "status"), List.of(fieldAt(data, 0), fieldAt(data, 1)),
                    "data starts with download_id and status");
            assertEquals(id, data.path("download_id").asText());
            assertEquals("queued", data.path("status").asText());
            SseEvent queued = stream.next(e -> e.name().equals("queue_update"), WAIT);
            assertEquals("added", Events.json(queued.data()).path("action").asText());

            JsonNode status = Events.json(Http.get(server.api("/download/" + id), alice).body());
            assertEquals(id, status.path("downloadId").asText());
            assertEquals("queued", status.path("status").asText());
            assertEquals("alice", status.path("owner").asText());
            for (String field : List.of("progress", "currentFilename", "message", "error", "result", "createdAt",
                    "startedAt", "completedAt")) {
                assertTrue(status.has(field), field);
            }
            for (String field : List.of("percentage", "status", "downloadedBytes", "totalBytes", "speed", "eta")) {
                assertTrue(status.path("progress").has(field), "progress." + field);
            }
        }
    }

    private static String fieldAt(JsonNode node, int index) {
        java.util.Iterator<String> names = node.fieldNames();
        for (int i = 0; i < index; i++) {
            names.next();
        }
        return names.next();
    }

    @Test
    void queueCountsPagesNewestFirstAndHonoursOffsetAndStatus() throws Exception {
        String first = submit(alice, "https://example.org/1");
        String second = submit(alice, "https://example.org/2");
        String third = submit(alice, "https://example.org/3");
        Http.postJson(server.api("/download/" + second + "/cancel"), "{}", alice);

        JsonNode all = Events.json(Http.get(server.api("/queue?limit=2"), alice).body());
        assertEquals(3, all.path("totalItems").asInt());
        assertEquals(2, all.path("queued").asInt());
        assertEquals(2, all.path("pending").asInt());
        assertEquals(1, all.path("cancelled").asInt());
        assertEquals(0, all.path("active").asInt());
        assertEquals(List.of(third, second), ids(all));
        assertEquals(List.of(first), ids(Events.json(Http.get(server.api("/queue/?limit=2&offset=2"), alice).body())));
        JsonNode pending = Events.json(Http.get(server.api("/download/queue?status=pending"), alice).body());
        assertEquals(List.of(third, first), ids(pending));
        assertEquals(2, pending.path("totalItems").asInt());
        assertEquals(422, Http.get(server.api("/queue?status=sleeping"), alice).statusCode());
        assertEquals(422, Http.get(server.api("/queue?limit=101"), alice).statusCode());
        assertEquals(422, Http.get(server.api("/queue?offset=-1"), alice).statusCode());
    }

    private static List<String> ids(JsonNode queue) {
        List<String> ids = new java.util.ArrayList<>();
        queue.path("items").forEach(item -> ids.add(item.path("downloadId").asText()));
        return ids;
    }

    @Test
    void unchangedQueueAnswers304() throws Exception {
        submit(alice, "https://example.org/a");
        HttpResponse<String> first = Http.get(server.api("/queue"), alice);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = Http.send(Http.request(server.api("/queue"), alice).header("If-None-Match", etag).GET());
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
        submit(alice, "https://example.org/b");
        HttpResponse<String> changed = Http.send(Http.request(server.api("/queue"), alice).header("If-None-Match", etag).GET());
        assertEquals(200, changed.statusCode());
    }

    @Test
    void cancelIsFinalAndATerminalDownloadCannotBeCancelledAgain() throws Exception {
        String id = submit(alice, "https://example.org/c");
        JsonNode cancelled = Events.json(Http.postJson(server.api("/download/" + id + "/cancel"), "{}", alice).body());
        assertEquals(true, cancelled.path("cancelled").asBoolean());
        JsonNode again = Events.json(Http.postJson(server.api("/download/" + id + "/cancel/"), "{}", alice).body());
        assertFalse(again.path("cancelled").asBoolean());
        assertEquals("Cannot cancel cancelled download", again.path("message").asText());
        assertEquals("cancelled", Events.json(Http.get(server.api("/download/" + id), alice).body()).path("status").asText());
    }

    @Test
    void aWatchedDownloadSendsItsStateFirstWhateverItsStatus() throws Exception {
        String queued = submit(alice, "https://example.org/waiting");
        String cancelled = submit(alice, "https://example.org/stopped");
        Http.postJson(server.api("/download/" + cancelled + "/cancel"), "{}", alice);
        for (String id : List.of(queued, cancelled)) {
            String expected = id.equals(queued) ? "queued" : "cancelled";
            try (SseTestClient stream = SseTestClient.open(server.api("/events/downloads/" + id),
                    Map.of("Authorization", "Bearer " + alice))) {
                stream.awaitConnected(WAIT);
                SseEvent first = stream.next(WAIT);
                assertEquals("download_progress", first.name());
                JsonNode data = Events.json(first.data());
                assertEquals(id, data.path("download_id").asText());
                assertEquals(expected, data.path("status").asText());
                assertEquals(expected, data.path("progress").path("status").asText());
            }
        }
    }

    @Test
    void aCancelledDownloadsProgressSaysCancelled() throws Exception {
        String id = submit(alice, "https://example.org/running");
        try (redis.clients.jedis.Jedis jedis = redis.client()) {
            // As the worker leaves it mid-transfer: status downloading, a stored step that says so too.
            jedis.hset("hermes:download:" + id, Map.of("status", "downloading", "message", "Downloading\u2026",
                    "progress", "{\"percentage\":40.0,\"status\":\"downloading\",\"downloaded_bytes\":400}"));
        }
        Http.postJson(server.api("/download/" + id + "/cancel"), "{}", alice);
        JsonNode status = Events.json(Http.get(server.api("/download/" + id), alice).body());
        assertEquals("cancelled", status.path("status").asText());
        assertEquals("cancelled", status.path("progress").path("status").asText());
        assertEquals("Cancelled by user", status.path("message").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"maybe", "yes", "1", "true%00", "%20true"})
    void deleteFileTakesOnlyTrueOrFalse(String value) throws Exception {
        String id = submit(alice, "https://example.org/keep");
        Map<String, String> before = RedisSnapshot.of(redis);
        HttpResponse<String> refused = Http.delete(server.api("/download/" + id + "?delete_file=" + value), alice);
        assertEquals(422, refused.statusCode(), refused.body());
        assertTrue(Events.json(refused.body()).path("detail").asText().contains("delete_file"), refused.body());
        assertEquals(before, RedisSnapshot.of(redis));
    }

    @Test
    void anotherOwnersDownloadIsInvisibleEverywhere() throws Exception {
        String bobs = submit(bob, "https://example.org/bobs");
        String mine = submit(alice, "https://example.org/mine");
        assertEquals(404, Http.get(server.api("/download/" + bobs), alice).statusCode());
        assertEquals(404, Http.postJson(server.api("/download/" + bobs + "/cancel"), "{}", alice).statusCode());
        assertEquals(404, Http.delete(server.api("/download/" + bobs), alice).statusCode());
        assertEquals(List.of(mine), ids(Events.json(Http.get(server.api("/queue"), alice).body())));
        assertEquals(1, Events.json(Http.get(server.api("/queue"), alice).body()).path("totalItems").asInt());
        assertEquals(2, Events.json(server.get("/queue").body()).path("totalItems").asInt(), "admin sees all");
        assertEquals("queued", Events.json(Http.get(server.api("/download/" + bobs), bob).body()).path("status").asText());
        try (SseTestClient refused = SseTestClient.open(server.api("/events/downloads/" + bobs),
                Map.of("Authorization", "Bearer " + alice))) {
            assertEquals(404, refused.status());
        }
    }

    @Test
    void deleteRemovesTheRecordFromEveryIndex() throws Exception {
        String id = submit(alice, "https://example.org/d");
        HttpResponse<String> deleted = Http.delete(server.api("/download/" + id), alice);
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertEquals(404, Http.get(server.api("/download/" + id), alice).statusCode());
        assertEquals(0, Events.json(Http.get(server.api("/queue"), alice).body()).path("totalItems").asInt());
        Map<String, String> left = RedisSnapshot.of(redis);
        assertTrue(left.keySet().stream().noneMatch(key -> key.contains(id)), left.keySet().toString());
    }

    @Test
    void batchQueuesEveryUrlOrNone() throws Exception {
        HttpResponse<String> response = Http.postJson(server.api("/download/batch"),
                "{\"urls\":[\"https://example.org/x\",\"http://example.org/y\"],\"priority\":\"high\"}", alice);
        JsonNode batch = Events.json(response.body());
        assertEquals(2, batch.path("totalDownloads").asInt());
        assertEquals("queued", batch.path("status").asText());
        assertEquals(2, batch.path("downloads").size());
        Map<String, String> before = RedisSnapshot.of(redis);
        HttpResponse<String> refused = Http.postJson(server.api("/download/batch"),
                "{\"urls\":[\"https://example.org/ok\",\"ftp://example.org/no\"]}", alice);
        assertEquals(422, refused.statusCode());
        assertTrue(Events.json(refused.body()).path("detail").asText().contains("urls[1]"));
        assertEquals(before, RedisSnapshot.of(redis), "nothing stored when one URL is bad");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"url\":\"ftp://example.org/x\"}", "{\"url\":\"file:///etc/passwd\"}", "{\"url\":\"not a url\"}",
            "{\"url\":\"https://\"}", "{}", "{\"url\":42}", "{\"url\":\"https://example.org/x\",\"downloadSubtitles\":\"yes\"}",
            "{\"url\":\"https://example.org/x\",\"outputDirectory\":\"../etc\"}",
            "{\"url\":\"https://example.org/x\",\"outputDirectory\":\"/abs\"}",
            "{\"url\":\"https://example.org/x\",\"subtitleLanguages\":[\"en\\r\\n\"]}",
            "{\"url\":\"https://example.org/x\",\"metadata\":[1]}",
            "{\"url\":\"https://example.org/LONG\"}"})
    void badSubmissionsAre422AndStoreNothing(String body) throws Exception {
        Map<String, String> before = RedisSnapshot.of(redis);
        HttpResponse<String> refused = Http.postJson(server.api("/download"), body.replace("LONG", "x".repeat(2100)), alice);
        assertEquals(422, refused.statusCode(), refused.body());
        assertTrue(Events.json(refused.body()).path("detail").asText().startsWith("Field '"));
        assertEquals(before, RedisSnapshot.of(redis));
    }

    @Test
    void readersCannotSubmitAndIdsNeverReachRedisUnchecked() throws Exception {
        String reader = key("carol", "[\"read\"]");
        assertEquals(403, Http.postJson(server.api("/download"), "{\"url\":\"https://example.org\"}", reader).statusCode());
        for (String id : List.of("x%20y", "a.b", "x".repeat(100))) {
            assertEquals(404, Http.get(server.api("/download/" + id), alice).statusCode(), id);
        }
        assertEquals(404, Http.get(server.api("/download/a/b/c"), alice).statusCode());
    }
}
