package io.hermes.realtime.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.SseEvent;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Task sessions (contract section 8): a worker reports, the owner polls and streams, nobody else sees. */
class TaskSessionsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final TestRedis redis = TestRedis.shared();
    private TestServer server;
    private String aliceKey;
    private String bobKey;
    private String workerKey;

    @BeforeEach
    void start() throws Exception {
        redis.flush();
        server = TestServer.start(Map.of());
        aliceKey = key("alice", "[\"read\",\"write\"]");
        bobKey = key("bob", "[\"read\",\"write\"]");
        workerKey = key("worker", "[\"publish\"]");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void aStreamOpenedMidwayGetsTheCurrentStateThenEveryLaterUpdateInOrderThenEndsAtCompleted() throws Exception {
        String id = create(aliceKey);
        for (int step = 1; step <= 10; step++) {
            report(id, "{\"status\":\"processing\",\"progress\":" + step * 5 + ",\"milestone\":\"step " + step
                    + "\",\"eta\":" + (20 - step) + "}");
        }
        try (SseTestClient stream = SseTestClient.open(server.api("/sessions/" + id + "/status/stream"),
                Map.of("Authorization", "Bearer " + aliceKey))) {
            stream.awaitConnected(WAIT); // says why when the stream was refused
            SseEvent first = stream.next(WAIT);
            assertEquals("status", first.name());
            JsonNode current = Events.json(first.data());
            assertEquals("step 10", current.path("milestone").asText());
            assertEquals(id, current.path("session_id").asText());
            assertEquals("alice", current.path("owner").asText());
            assertEquals(10, current.path("eta").asLong());
            for (int step = 11; step <= 19; step++) {
                report(id, "{\"status\":\"processing\",\"progress\":" + step * 5 + ",\"milestone\":\"step " + step
                        + "\",\"eta\":" + (20 - step) + "}");
            }
            report(id, "{\"status\":\"completed\",\"message\":\"done\",\"milestone\":\"step 20\"}");
            List<String> milestones = new ArrayList<>();
            for (int step = 11; step <= 20; step++) {
                // Heartbeats and `:` pings may come between updates.
                SseEvent event = stream.next(e -> !e.name().equals("heartbeat") && !e.name().equals(":"), WAIT);
                assertEquals("status", event.name());
                milestones.add(Events.json(event.data()).path("milestone").asText());
                if (step == 20) {
                    JsonNode last = Events.json(event.data());
                    assertEquals("completed", last.path("status").asText());
                    assertEquals(100.0, last.path("progress").asDouble());
                    assertTrue(last.path("eta").isNull());
                    assertTrue(last.path("completed_at").isTextual());
                }
            }
            List<String> expected = new ArrayList<>();
            for (int step = 11; step <= 20; step++) {
                expected.add("step " + step);
            }
            assertEquals(expected, milestones, "every later update once, in order");
            assertTrue(stream.awaitEnd(WAIT), "the stream ends after a final status");
        }
    }

    @Test
    void anotherOwnerAndTheWorkerKeyCannotReadTheSession() throws Exception {
        String id = create(aliceKey);
        assertEquals(404, Http.get(server.api("/sessions/" + id + "/status"), bobKey).statusCode());
        assertEquals(403, Http.get(server.api("/sessions/" + id + "/status"), workerKey).statusCode());
        try (SseTestClient stream = SseTestClient.open(server.api("/sessions/" + id + "/status/stream"),
                Map.of("Authorization", "Bearer " + bobKey))) {
            assertEquals(404, stream.status());
        }
        try (SseTestClient stream = SseTestClient.open(server.api("/sessions/" + id + "/status/stream"),
                Map.of("Authorization", "Bearer " + workerKey))) {
            assertEquals(403, stream.status());
        }
        assertEquals(404, Http.postJson(server.api("/events/token"), "{\"scope\":\"session:" + id + "\"}", bobKey)
                .statusCode());
        assertEquals(403, Http.get(server.api("/notifications"), workerKey).statusCode(), "a worker reads nothing");
        assertEquals(403, Http.get(server.api("/queue"), workerKey).statusCode());
        assertEquals(403, Http.postJson(server.api("/sessions"), "{}", workerKey).statusCode());
        assertEquals(403, Http.postJson(server.api("/sessions/" + id + "/status"), "{\"status\":\"processing\"}",
                aliceKey).statusCode(), "reporting needs publish");
    }

    @Test
    void aSessionTokenOpensOnlyThatSessionsStream() throws Exception {
        String id = create(aliceKey);
        report(id, "{\"status\":\"processing\",\"message\":\"Transcribing\"}");
        HttpResponse<String> issued = Http.postJson(server.api("/events/token"),
                "{\"scope\":\"session:" + id + "\"}", aliceKey);
        assertEquals(200, issued.statusCode(), issued.body());
        String token = Events.json(issued.body()).path("token").asText();
        try (SseTestClient stream = SseTestClient.open(
                server.api("/sessions/" + id + "/status/stream?token=" + token), Map.of())) {
            stream.awaitConnected(WAIT);
            assertEquals("Transcribing", Events.json(stream.next(WAIT).data()).path("message").asText());
        }
        try (SseTestClient other = SseTestClient.open(server.api("/events/queue?token=" + token), Map.of())) {
            assertEquals(403, other.status());
        }
    }

    @Test
    void pollingAnswers304BetweenUpdates() throws Exception {
        String id = create(aliceKey);
        URI status = server.api("/sessions/" + id + "/status");
        HttpResponse<String> first = Http.get(status, aliceKey);
        assertEquals(200, first.statusCode());
        assertEquals("pending", Events.json(first.body()).path("status").asText());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, Http.send(Http.request(status, aliceKey).header("If-None-Match", etag)).statusCode());
        report(id, "{\"status\":\"processing\",\"progress\":12.5,\"eta\":30}");
        HttpResponse<String> changed = Http.send(Http.request(status, aliceKey).header("If-None-Match", etag));
        assertEquals(200, changed.statusCode());
        JsonNode body = Events.json(changed.body());
        assertEquals(12.5, body.path("progress").asDouble());
        assertEquals(30, body.path("eta").asLong());
        assertTrue(body.path("startedAt").isTextual());
        String next = changed.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, Http.send(Http.request(status, aliceKey).header("If-None-Match", next)).statusCode());
    }

    @Test
    void aFinalStatusIsFinal() throws Exception {
        String id = create(aliceKey);
        report(id, "{\"status\":\"failed\",\"error\":\"model crashed\"}");
        HttpResponse<String> again = Http.postJson(server.api("/sessions/" + id + "/status"),
                "{\"status\":\"processing\"}", workerKey);
        assertEquals(409, again.statusCode(), again.body());
        JsonNode status = Events.json(Http.get(server.api("/sessions/" + id + "/status"), aliceKey).body());
        assertEquals("failed", status.path("status").asText());
        assertEquals("model crashed", status.path("error").asText());
        assertEquals(422, Http.postJson(server.api("/sessions/" + id + "/status"), "{\"progress\":101}", workerKey)
                .statusCode());
        assertEquals(404, Http.postJson(server.api("/sessions/nope/status"), "{}", workerKey).statusCode());
    }

    @Test
    void sessionEventsReachTheOwnersMultiplexedStreamOnlyAndResume() throws Exception {
        String id = create(aliceKey);
        try (SseTestClient alice = SseTestClient.open(server.api("/events/stream?channels=session"),
                Map.of("Authorization", "Bearer " + aliceKey));
                SseTestClient bob = SseTestClient.open(server.api("/events/stream?channels=session,system"),
                        Map.of("Authorization", "Bearer " + bobKey))) {
            alice.awaitConnected(WAIT);
            bob.awaitConnected(WAIT);
            report(id, "{\"status\":\"processing\",\"milestone\":\"one\"}");
            SseEvent one = alice.next(e -> e.name().equals("session_status"), WAIT);
            assertNotNull(one.id());
            report(id, "{\"milestone\":\"two\"}");
            alice.next(e -> e.name().equals("session_status"), WAIT);
            server.post("/notifications", "{\"message\":\"marker\"}");
            bob.next(e -> e.name().equals("system_notification"), WAIT);
            assertTrue(bob.drainReceived().stream().noneMatch(e -> e.name().equals("session_status")),
                    "bob never sees alice's session");
            try (SseTestClient resumed = SseTestClient.open(server.api("/events/stream?channels=session"),
                    Map.of("Authorization", "Bearer " + aliceKey, "Last-Event-ID", one.id()))) {
                resumed.awaitConnected(WAIT);
                SseEvent replayed = resumed.next(e -> e.name().equals("session_status"), WAIT);
                assertEquals("two", Events.json(replayed.data()).path("milestone").asText());
            }
        }
    }

    @Test
    void publishOverHttpReachesAStreamAndRefusesAnUnknownChannel() throws Exception {
        try (SseTestClient stream = server.stream("/events/stream?channels=queue")) {
            stream.awaitConnected(WAIT);
            HttpResponse<String> published = Http.postJson(server.api("/events/publish"),
                    "{\"channel\":\"queue:updates\",\"type\":\"queue_update\",\"data\":{\"action\":\"added\","
                            + "\"download_id\":\"demo\",\"status\":\"queued\"}}", workerKey);
            assertEquals(200, published.statusCode(), published.body());
            String id = Events.json(published.body()).path("id").asText();
            SseEvent event = stream.next(e -> e.name().equals("queue_update"), WAIT);
            assertEquals(id, event.id(), "replayable: it carries its stream id");
            assertEquals("demo", Events.json(event.data()).path("download_id").asText());
        }
        HttpResponse<String> unknown = Http.postJson(server.api("/events/publish"),
                "{\"channel\":\"nowhere\",\"type\":\"x\",\"data\":{}}", workerKey);
        assertEquals(422, unknown.statusCode(), unknown.body());
        assertEquals(403, Http.postJson(server.api("/events/publish"),
                "{\"channel\":\"queue\",\"type\":\"x\",\"data\":{}}", aliceKey).statusCode());
    }

    private String create(String key) throws Exception {
        HttpResponse<String> created = Http.postJson(server.api("/sessions"),
                "{\"title\":\"Transcribe interview.mp3\",\"metadata\":{\"lang\":\"en\"}}", key);
        assertEquals(201, created.statusCode(), created.body());
        JsonNode body = Events.json(created.body());
        assertEquals("pending", body.path("status").asText());
        assertEquals("en", body.path("metadata").path("lang").asText());
        return body.path("sessionId").asText();
    }

    private void report(String id, String json) throws Exception {
        HttpResponse<String> reported = Http.postJson(server.api("/sessions/" + id + "/status"), json, workerKey);
        assertEquals(200, reported.statusCode(), reported.body());
    }

    private String key(String owner, String permissions) throws Exception {
        HttpResponse<String> created = server.post("/auth/api-keys",
                "{\"name\":\"" + owner + "\",\"permissions\":" + permissions + ",\"owner\":\"" + owner + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        return Events.json(created.body()).path("key").asText();
    }
}
