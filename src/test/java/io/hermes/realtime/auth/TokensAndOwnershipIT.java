package io.hermes.realtime.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.bus.EventId;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.SseEvent;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestPublisher;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** SSE tokens open only their scope, end with their expiry, and no stream shows another owner's download. */
class TokensAndOwnershipIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final TestRedis redis = TestRedis.shared();
    private TestServer server;
    private TestPublisher publisher;
    private String alice;
    private String bob;

    @BeforeEach
    void start() throws Exception {
        redis.flush();
        server = TestServer.start(Map.of());
        publisher = new TestPublisher(redis);
        alice = key("alice");
        bob = key("bob");
        try (Jedis jedis = redis.client()) {
            jedis.hset("hermes:download:a1", "owner", "alice");
            jedis.hset("hermes:download:b1", "owner", "bob");
        }
    }

    @AfterEach
    void stop() throws Exception {
        publisher.close();
        server.close();
    }

    private String key(String owner) throws Exception {
        HttpResponse<String> created = server.post("/auth/api-keys",
                "{\"name\":\"" + owner + "\",\"permissions\":[\"read\",\"write\"],\"owner\":\"" + owner + "\"}");
        return Events.json(created.body()).path("key").asText();
    }

    private JsonNode token(String key, String body, int expectedStatus) throws Exception {
        HttpResponse<String> response = Http.postJson(server.api("/events/token"), body, key);
        assertEquals(expectedStatus, response.statusCode(), response.body());
        return Events.json(response.body());
    }

    private SseTestClient withToken(String path, String token) throws Exception {
        String separator = path.contains("?") ? "&" : "?";
        return SseTestClient.open(server.api(path + separator + "token=" + token));
    }

    @Test
    void tokenHasTheContractShapeAndIsStoredWithItsTtl() throws Exception {
        JsonNode issued = token(alice, "{\"scope\":\"queue\",\"ttl\":120}", 200);
        String token = issued.path("token").asText();
        assertTrue(token.startsWith("sse_"));
        assertEquals("queue", issued.path("scope").asText());
        assertEquals(120, issued.path("ttl").asInt());
        assertEquals("read", issued.path("permissions").get(0).asText());
        assertTrue(Instant.parse(issued.path("expiresAt").asText()).isAfter(Instant.now().plusSeconds(100)));
        try (Jedis jedis = redis.client()) {
            long ttl = jedis.ttl("sse:token:" + token);
            assertTrue(ttl > 100 && ttl <= 120, "expiry " + ttl);
            JsonNode stored = Events.json(jedis.get("sse:token:" + token));
            for (String field : List.of("scope", "user_id", "expires_at", "permissions", "created_at")) {
                assertTrue(stored.has(field), field);
            }
            assertEquals("alice", stored.path("user_id").asText());
        }
        assertEquals(300, token(alice, "{\"scope\":\"stats\"}", 200).path("ttl").asInt(), "default ttl");
    }

    @Test
    void tokenRequestsAreValidated() throws Exception {
        token(alice, "{\"scope\":\"everything\"}", 400);
        token(alice, "{\"scope\":\"queue\",\"ttl\":59}", 422);
        token(alice, "{\"scope\":\"queue\",\"ttl\":3601}", 422);
        token(alice, "{\"scope\":\"queue\",\"ttl\":\"long\"}", 422);
        token(alice, "{\"scope\":\"download:b1\"}", 404);
        token(alice, "{\"scope\":\"download:nope\"}", 404);
        token(alice, "{\"scope\":\"download:../../x\"}", 404);
        token(alice, "{\"scope\":\"download:a1\"}", 200);
    }

    @Test
    void tokenOpensOnlyItsOwnScope() throws Exception {
        String queueToken = token(alice, "{\"scope\":\"queue\"}", 200).path("token").asText();
        try (SseTestClient ok = withToken("/events/queue", queueToken)) {
            assertEquals(200, ok.status());
            ok.awaitConnected(WAIT);
        }
        try (SseTestClient wrong = withToken("/events/stats", queueToken)) {
            assertEquals(403, wrong.status());
            assertTrue(Events.json(wrong.errorBody()).path("detail").asText().contains("scope"));
        }
        try (SseTestClient unknown = withToken("/events/queue", "sse_" + "A".repeat(43))) {
            assertEquals(401, unknown.status());
        }
        try (SseTestClient multiplexed = withToken("/events/stream?channels=system,stats", queueToken)) {
            multiplexed.awaitConnected(WAIT);
            publisher.publish(Channel.SYSTEM, Map.of("id", "n1", "message", "not for a queue token"));
            publisher.publish(Channel.QUEUE, Map.of("action", "added", "download_id", "a1", "status", "queued"), "alice");
            SseEvent first = multiplexed.next(e -> e.id() != null, WAIT);
            assertEquals("queue_update", first.name(), "the token's scope replaces the channels asked for");
        }
    }

    @Test
    void anEventsTokenOpensTheMultiplexedStreamWithItsChannelsAndStillFiltersOwners() throws Exception {
        String token = token(alice, "{\"scope\":\"events\"}", 200).path("token").asText();
        try (SseTestClient stream = withToken("/events/stream?channels=queue,system", token)) {
            stream.awaitConnected(WAIT);
            publisher.publish(Channel.QUEUE, Map.of("action", "added", "download_id", "b1", "status", "queued"), "bob");
            publisher.publish(Channel.SYSTEM, Map.of("id", "n1", "notification_type", "info", "message", "hello"));
            EventId mine = publisher.publish(Channel.QUEUE, Map.of("action", "added", "download_id", "a1", "status", "queued"), "alice");
            SseEvent first = stream.next(e -> e.id() != null, WAIT);
            assertEquals("system_notification", first.name());
            assertEquals(mine.toString(), stream.next(e -> e.id() != null, WAIT).id(), "bob's event skipped");
        }
        try (SseTestClient other = withToken("/events/downloads/b1", token)) {
            assertEquals(404, other.status(), "an events token does not open another owner's download");
        }
    }

    @Test
    void streamEndsWhenItsTokenExpires() throws Exception {
        String token = "sse_" + "E".repeat(43);
        Instant expiry = Instant.now().plusSeconds(2);
        try (Jedis jedis = redis.client()) {
            // Written as another instance would: the contract fixes this key and value.
            jedis.setex("sse:token:" + token, 60, "{\"scope\":\"queue\",\"user_id\":\"alice\",\"expires_at\":\""
                    + expiry + "\",\"permissions\":[\"read\"],\"created_at\":\"" + Instant.now() + "\"}");
        }
        try (SseTestClient stream = withToken("/events/queue", token)) {
            assertEquals(200, stream.status());
            assertTrue(stream.awaitEnd(Duration.ofSeconds(10)), "the stream ends at the token's expiry");
            assertTrue(Instant.now().isAfter(expiry.minusMillis(200)));
        }
        try (SseTestClient expired = withToken("/events/queue", token)) {
            assertEquals(401, expired.status());
        }
    }

    @Test
    void nonAdminStreamsNeverCarryAnotherOwnersDownloads() throws Exception {
        try (SseTestClient aliceAll = SseTestClient.open(server.api("/events/stream?channels=download:updates,queue"),
                Map.of("Authorization", "Bearer " + alice));
             SseTestClient adminAll = server.stream("/events/stream?channels=download:updates")) {
            aliceAll.awaitConnected(WAIT);
            adminAll.awaitConnected(WAIT);
            publisher.publish(Channel.DOWNLOAD, Map.of("download_id", "b1", "status", "downloading"), "bob");
            publisher.publish(Channel.QUEUE, Map.of("action", "added", "download_id", "b1", "status", "queued"), "bob");
            publisher.publish(Channel.DOWNLOAD, Map.of("download_id", "x9", "status", "downloading"));
            EventId mine = publisher.publish(Channel.DOWNLOAD, Map.of("download_id", "a1", "status", "downloading"), "alice");
            SseEvent first = aliceAll.next(e -> e.id() != null, WAIT);
            assertEquals(mine.toString(), first.id(), "bob's and ownerless download events were skipped");
            assertEquals(4, adminAll.events("download_progress", 3, WAIT).size() + 1, "admin sees every download");
        }
    }

    @Test
    void anotherOwnersDownloadCannotBeStreamedAndAnswers404() throws Exception {
        Map<String, String> asAlice = Map.of("Authorization", "Bearer " + alice);
        for (String path : List.of("/events/downloads/b1", "/events/stream?download_id=b1", "/events/downloads/missing")) {
            try (SseTestClient refused = SseTestClient.open(server.api(path), asAlice)) {
                assertEquals(404, refused.status(), path);
                assertEquals("Download not found", Events.json(refused.errorBody()).path("detail").asText());
            }
        }
        String bobsToken = token(bob, "{\"scope\":\"download:b1\"}", 200).path("token").asText();
        try (SseTestClient wrongPath = withToken("/events/downloads/a1", bobsToken)) {
            assertEquals(403, wrongPath.status());
        }
        try (SseTestClient own = withToken("/events/downloads/b1", bobsToken)) {
            assertEquals(200, own.status());
        }
    }
}
