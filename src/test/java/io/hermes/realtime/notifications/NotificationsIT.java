package io.hermes.realtime.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.SseEvent;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The notification feed: stored, listed newest first, broadcast at once, replayed as init. */
class NotificationsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final TestRedis redis = TestRedis.shared();
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        redis.flush();
        server = TestServer.start(Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void postedNotificationIsStoredListedAndBroadcast() throws Exception {
        try (SseTestClient stream = server.stream("/events/stream")) {
            stream.awaitConnected(WAIT);
            HttpResponse<String> created = server.post("/notifications",
                    "{\"message\":\"Disk almost full\",\"notificationType\":\"warning\"}");
            assertEquals(201, created.statusCode(), created.body());
            JsonNode body = Events.json(created.body());
            assertEquals("warning", body.path("notificationType").asText());
            assertEquals("Disk almost full", body.path("message").asText());

            SseEvent event = stream.next(e -> e.name().equals("system_notification"), WAIT);
            JsonNode data = Events.json(event.data());
            assertEquals(body.path("id").asText(), data.path("id").asText());
            assertEquals("warning", data.path("notification_type").asText());
            assertEquals(body.path("timestamp").asText(), data.path("timestamp").asText());
        }
        server.post("/notifications/", "{\"message\":\"second\"}");
        JsonNode listed = Events.json(server.get("/notifications?limit=10").body());
        assertEquals(2, listed.size());
        assertEquals("second", listed.get(0).path("message").asText(), "newest first");
        assertEquals("info", listed.get(0).path("notificationType").asText(), "type defaults to info");
        assertEquals(1, Events.json(server.get("/notifications?limit=1").body()).size());
    }

    @Test
    void feedKeepsTheNewestThousand() throws Exception {
        try (Jedis jedis = redis.client()) {
            for (int i = 0; i < 1000; i++) {
                jedis.lpush("hermes:notifications", "{\"id\":\"old" + i + "\",\"notification_type\":\"info\","
                        + "\"message\":\"old\",\"timestamp\":\"2026-01-01T00:00:00.000Z\"}");
            }
            server.post("/notifications", "{\"message\":\"newest\"}");
            assertEquals(1000, jedis.llen("hermes:notifications"));
        }
        assertEquals("newest", Events.json(server.get("/notifications").body()).get(0).path("message").asText());
    }

    @Test
    void systemStreamOpensWithInitHoldingRecentNotifications() throws Exception {
        server.post("/notifications", "{\"message\":\"before you came\"}");
        try (SseTestClient stream = server.stream("/events/system")) {
            stream.awaitConnected(WAIT);
            SseEvent init = stream.next(WAIT);
            assertEquals("init", init.name());
            JsonNode notifications = Events.json(init.data()).path("notifications");
            assertEquals("before you came", notifications.get(0).path("message").asText());
        }
    }

    @Test
    void badInputIsRefusedAndNothingIsStored() throws Exception {
        assertError(server.post("/notifications", "{\"message\":\"\"}"), 422, "message");
        assertError(server.post("/notifications", "{\"message\":\"x\",\"notificationType\":\"panic\"}"),
                422, "notificationType");
        assertError(server.post("/notifications", "{\"message\":12}"), 422, "message");
        assertError(server.post("/notifications", "{\"message\":\"" + "x".repeat(1001) + "\"}"), 422, "message");
        assertError(server.post("/notifications", "{\"message\":"), 422, "JSON");
        assertError(server.post("/notifications", "[1]"), 422, "object");
        assertEquals(413, declaredTooLargeIsRefusedBeforeTheBodyIsSent());
        HttpResponse<String> wrongType = Http.send(Http.request(server.api("/notifications"), TestServer.ADMIN_KEY)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hello")));
        assertError(wrongType, 415, "application/json");
        assertError(server.get("/notifications?limit=0"), 422, "limit");
        assertError(server.get("/notifications?limit=abc"), 422, "limit");
        HttpResponse<String> delete = Http.delete(server.api("/notifications"), TestServer.ADMIN_KEY);
        assertError(delete, 405, "Method");
        assertEquals(0, Events.json(server.get("/notifications").body()).size());
    }

    /** Declares a 1.1 MB body and sends none of it: the server must answer from the headers alone. */
    private int declaredTooLargeIsRefusedBeforeTheBodyIsSent() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/v1/notifications HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + TestServer.ADMIN_KEY + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1100000\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    private static void assertError(HttpResponse<String> response, int status, String mentions) {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = Events.json(response.body());
        assertTrue(body.path("detail").asText().contains(mentions), body.toString());
        assertEquals("http_" + status, body.path("error").path("code").asText());
        assertTrue(body.path("error").has("details"));
    }
}
