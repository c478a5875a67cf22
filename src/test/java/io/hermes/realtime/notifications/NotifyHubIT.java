package io.hermes.realtime.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.app.Settings;
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
import redis.clients.jedis.Jedis;

/**
 * NotifyHub's feed at the context root (contract section 9) over the wire: {@code /events} opens with
 * {@code init} and carries {@code notification} events from the same store as {@code /api/v1/notifications},
 * resumes by id, and is closed to readers without a credential unless {@code HERMES_PUBLIC_NOTIFICATIONS}
 * opens it; {@code /api/notifications} lists and adds in NotifyHub's shape. The browser's side is
 * {@link NotifyHubPageIT}.
 */
class NotifyHubIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final TestRedis redis = TestRedis.shared();
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        redis.flush();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private URI root(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> postNote(String body, String key) throws Exception {
        return Http.postJson(root("/api/notifications"), body, key);
    }

    @Test
    void feedOpensWithInitThenCarriesEachNewNotification() throws Exception {
        server = TestServer.start(Map.of());
        server.post("/notifications", "{\"message\":\"first\",\"notificationType\":\"warning\"}");
        server.post("/notifications", "{\"message\":\"second\"}");

        try (SseTestClient feed = SseTestClient.open(root("/events"),
                Map.of("Authorization", "Bearer " + TestServer.ADMIN_KEY))) {
            assertEquals(200, feed.status());
            assertTrue(feed.header("Content-Type").startsWith("text/event-stream"), feed.header("Content-Type"));
            SseEvent init = feed.next(NotifyHubIT::content, WAIT);
            assertEquals("init", init.name(), "the feed opens with the recent notifications");
            JsonNode recent = Events.json(init.data());
            assertTrue(recent.isArray(), init.data());
            assertEquals(List.of("second", "first"), messages(recent), "newest first");
            assertEquals(List.of("id", "message", "timestamp"), fieldNames(recent.get(0)), "NotifyHub's shape");

            HttpResponse<String> created = postNote("{\"message\":\"Backup finished\"}", TestServer.ADMIN_KEY);
            assertEquals(201, created.statusCode(), created.body());
            JsonNode stored = Events.json(created.body());
            assertEquals(List.of("id", "message", "timestamp"), fieldNames(stored));

            SseEvent live = feed.next(NotifyHubIT::content, WAIT);
            assertEquals("notification", live.name(), live.toString());
            assertEquals("Backup finished", Events.json(live.data()).path("message").asText(), live.toString());
            assertNotNull(live.id(), "resumable: every notification carries an event id");
            JsonNode data = Events.json(live.data());
            assertEquals(stored.path("id").asText(), data.path("id").asText());
            assertEquals("Backup finished", data.path("message").asText());
            assertEquals(stored.path("timestamp").asText(), data.path("timestamp").asText());
        }

        // One store: both shapes list the same three, newest first.
        HttpResponse<String> listed = Http.get(root("/api/notifications"), TestServer.ADMIN_KEY);
        assertEquals(200, listed.statusCode());
        assertEquals(List.of("Backup finished", "second", "first"), messages(Events.json(listed.body())));
        assertEquals(List.of("id", "message", "timestamp"), fieldNames(Events.json(listed.body()).get(2)));
        assertEquals(List.of("Backup finished", "second", "first"),
                messages(Events.json(server.get("/notifications").body())));

        // Polling every 10 s costs a 304 while nothing changes.
        String etag = listed.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = Http.send(Http.request(root("/api/notifications"), TestServer.ADMIN_KEY)
                .header("If-None-Match", etag).GET());
        assertEquals(304, again.statusCode());
        postNote("{\"message\":\"fourth\"}", TestServer.ADMIN_KEY);
        assertEquals(200, Http.send(Http.request(root("/api/notifications"), TestServer.ADMIN_KEY)
                .header("If-None-Match", etag).GET()).statusCode(), "a new notification changes the answer");
        assertEquals(1, Events.json(Http.get(root("/api/notifications?limit=1"), TestServer.ADMIN_KEY).body()).size());
    }

    @Test
    void aResumingClientGetsWhatItMissedOnceAndNoInit() throws Exception {
        server = TestServer.start(Map.of());
        String seen;
        try (SseTestClient feed = SseTestClient.open(root("/events"),
                Map.of("Authorization", "Bearer " + TestServer.ADMIN_KEY))) {
            feed.next(e -> e.name().equals("init"), WAIT);
            postNote("{\"message\":\"seen\"}", TestServer.ADMIN_KEY);
            seen = feed.next(e -> e.name().equals("notification"), WAIT).id();
        }
        for (int i = 0; i < 3; i++) {
            postNote("{\"message\":\"missed " + i + "\"}", TestServer.ADMIN_KEY);
        }
        try (SseTestClient resumed = SseTestClient.open(root("/events"),
                Map.of("Authorization", "Bearer " + TestServer.ADMIN_KEY, "Last-Event-ID", seen))) {
            List<String> got = new ArrayList<>();
            while (got.size() < 3) {
                SseEvent event = resumed.next(NotifyHubIT::content, WAIT);
                assertEquals("notification", event.name(), "a resumed feed sends no init: " + event);
                got.add(Events.json(event.data()).path("message").asText());
            }
            assertEquals(List.of("missed 0", "missed 1", "missed 2"), got);
            postNote("{\"message\":\"live again\"}", TestServer.ADMIN_KEY);
            SseEvent live = resumed.next(e -> e.name().equals("notification"), WAIT);
            assertEquals("live again", Events.json(live.data()).path("message").asText(), "no repeat before the tail");
        }
    }

    @Test
    void closedToReadersWithoutACredentialByDefault() throws Exception {
        server = TestServer.start(Map.of());
        postNote("{\"message\":\"kept\"}", TestServer.ADMIN_KEY);

        try (SseTestClient anonymous = SseTestClient.open(root("/events"))) {
            assertEquals(401, anonymous.status());
            assertTrue(anonymous.errorBody().contains("\"detail\""), "the contract's JSON error body");
        }
        assertEquals(401, Http.get(root("/api/notifications")).statusCode());

        String readerKey = key("reader", "[\"read\"]");
        assertEquals(200, Http.get(root("/api/notifications"), readerKey).statusCode());
        try (SseTestClient reader = SseTestClient.open(root("/events"), Map.of("Authorization", "Bearer " + readerKey))) {
            assertEquals(200, reader.status());
        }
        // An EventSource sends no header: a token of scope system (or events) opens the feed, others do not.
        try (SseTestClient bySystemToken = SseTestClient.open(root("/events?token=" + token("system")))) {
            assertEquals(200, bySystemToken.status());
            assertEquals("init", bySystemToken.next(NotifyHubIT::content, WAIT).name());
        }
        try (SseTestClient byEventsToken = SseTestClient.open(root("/events?token=" + token("events")))) {
            assertEquals(200, byEventsToken.status());
        }
        try (SseTestClient byQueueToken = SseTestClient.open(root("/events?token=" + token("queue")))) {
            assertEquals(403, byQueueToken.status());
        }

        // Posting needs write; bad bodies are refused and store nothing.
        assertEquals(401, Http.postJson(root("/api/notifications"), "{\"message\":\"x\"}").statusCode());
        assertEquals(403, postNote("{\"message\":\"x\"}", readerKey).statusCode());
        for (String bad : List.of("{}", "{\"message\":\"\"}", "{\"message\":42}",
                "{\"message\":\"" + "x".repeat(1001) + "\"}", "not json", "[\"message\"]")) {
            HttpResponse<String> refused = postNote(bad, TestServer.ADMIN_KEY);
            assertTrue(refused.statusCode() == 400 || refused.statusCode() == 422, bad + " → " + refused.statusCode());
            assertTrue(refused.body().contains("\"detail\""), refused.body());
        }
        try (Jedis jedis = redis.client()) {
            assertEquals(1, jedis.llen("hermes:notifications"), "nothing stored by refused posts");
        }
    }

    @Test
    void publicReadingOpensTheFeedAndNothingElse() throws Exception {
        server = TestServer.start(Map.of(Settings.PUBLIC_NOTIFICATIONS, "true"));
        postNote("{\"message\":\"for everyone\"}", TestServer.ADMIN_KEY);

        HttpResponse<String> listed = Http.get(root("/api/notifications"));
        assertEquals(200, listed.statusCode(), listed.body());
        assertEquals(List.of("for everyone"), messages(Events.json(listed.body())));
        try (SseTestClient anonymous = SseTestClient.open(root("/events"))) {
            assertEquals(200, anonymous.status());
            assertEquals("init", anonymous.next(NotifyHubIT::content, WAIT).name());
            postNote("{\"message\":\"live\"}", TestServer.ADMIN_KEY);
            assertEquals("live", Events.json(anonymous.next(e -> e.name().equals("notification"), WAIT).data())
                    .path("message").asText());
        }
        // Only reading the feed is open: posting, the API's own feed, other streams and views still need a key.
        assertEquals(401, Http.postJson(root("/api/notifications"), "{\"message\":\"x\"}").statusCode());
        assertEquals(401, Http.get(server.api("/notifications")).statusCode());
        try (SseTestClient otherStream = SseTestClient.open(server.api("/events/system"))) {
            assertEquals(401, otherStream.status());
        }
        try (SseTestClient views = SseTestClient.open(root("/events?snapshot=queue"))) {
            assertEquals(403, views.status());
        }
        // A credential that is shown is checked: a wrong one is refused, not taken for no credential.
        try (SseTestClient wrongKey = SseTestClient.open(root("/events"), Map.of("Authorization", "Bearer nope"))) {
            assertEquals(401, wrongKey.status());
        }
        assertEquals(401, Http.get(root("/api/notifications"), "nope").statusCode());
        try (SseTestClient wrongToken = SseTestClient.open(root("/events?token=nope"))) {
            assertEquals(401, wrongToken.status());
        }
    }

    @Test
    void theFeedCountsAsAStreamAndKeepsToTheLimit() throws Exception {
        server = TestServer.start(Map.of(Settings.PUBLIC_NOTIFICATIONS, "true", Settings.MAX_CONNECTIONS, "1"));
        try (SseTestClient first = SseTestClient.open(root("/events"))) {
            assertEquals(200, first.status());
            try (SseTestClient second = SseTestClient.open(root("/events"))) {
                assertEquals(503, second.status());
                assertTrue(second.header("Retry-After") != null);
            }
        }
        String health = Http.get(server.api("/events/health")).body();
        assertFalse(health.isEmpty());
    }

    private String key(String name, String permissions) throws Exception {
        HttpResponse<String> created = server.post("/auth/api-keys",
                "{\"name\":\"" + name + "\",\"permissions\":" + permissions + "}");
        assertEquals(201, created.statusCode(), created.body());
        return Events.json(created.body()).path("key").asText();
    }

    private String token(String scope) throws Exception {
        HttpResponse<String> issued = server.post("/events/token", "{\"scope\":\"" + scope + "\"}");
        assertTrue(issued.statusCode() / 100 == 2, issued.body());
        return Events.json(issued.body()).path("token").asText();
    }

    /** Not the stream's own housekeeping ({@code retry:}, {@code connected}, {@code heartbeat}). */
    private static boolean content(SseEvent event) {
        return !List.of("retry", "connected", "heartbeat").contains(event.name());
    }

    private static List<String> messages(JsonNode notifications) {
        List<String> messages = new ArrayList<>();
        notifications.forEach(note -> messages.add(note.path("message").asText()));
        return messages;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
