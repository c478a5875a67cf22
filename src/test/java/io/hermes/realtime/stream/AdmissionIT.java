package io.hermes.realtime.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Refusals happen before any stream starts, as JSON errors. */
class AdmissionIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @BeforeEach
    void clean() {
        TestRedis.shared().flush();
    }

    @Test
    void connectionLimitAnswers503WithRetryAfterBeforeStreaming() throws Exception {
        try (TestServer server = TestServer.start(Map.of(Settings.MAX_CONNECTIONS, "2"));
             SseTestClient one = server.stream("/events/queue");
             SseTestClient two = server.stream("/events/stats")) {
            one.awaitConnected(WAIT);
            two.awaitConnected(WAIT);
            try (SseTestClient refused = server.stream("/events/stream")) {
                assertEquals(503, refused.status());
                assertNotNull(refused.header("Retry-After"));
                assertTrue(refused.header("Content-Type").startsWith("application/json"));
                JsonNode body = Events.json(refused.errorBody());
                assertTrue(body.path("detail").asText().contains("Too many"), body.toString());
                assertEquals("http_503", body.path("error").path("code").asText());
            }
            JsonNode health = Events.json(server.get("/events/health").body());
            assertEquals(2, health.path("active_connections").asInt());
            assertEquals(2, health.path("max_connections").asInt());
        }
    }

    @Test
    void disabledSseAnswers503AndPollingStillWorks() throws Exception {
        try (TestServer server = TestServer.start(Map.of(Settings.ENABLE_SSE, "false"));
             SseTestClient refused = server.stream("/events/stream")) {
            assertEquals(503, refused.status());
            assertEquals("SSE is not enabled on this server", Events.json(refused.errorBody()).path("detail").asText());
            JsonNode health = Events.json(server.get("/events/health").body());
            assertEquals(false, health.path("enabled").asBoolean(true));
            assertEquals(30, health.path("heartbeat_interval").asInt());
            assertEquals(200, server.get("/notifications").statusCode());
        }
    }

    @Test
    void badChannelsAndMalformedDownloadIdsAreRefused() throws Exception {
        try (TestServer server = TestServer.start(Map.of())) {
            HttpResponse<String> unknown = server.get("/events/stream?channels=queue,nope");
            assertEquals(422, unknown.statusCode());
            assertTrue(Events.json(unknown.body()).path("detail").asText().contains("channel"));
            for (String id : new String[] {"..%2F..%2Fetc", "..%5Cetc", "%00", "a%0D%0Aevent:x"}) {
                int status = server.get("/events/downloads/" + id).statusCode();
                assertTrue(status == 400 || status == 404, "refused by the container or by us: " + id + " " + status);
            }
            for (String id : new String[] {"a.b", "a%20b", "a:b", "x".repeat(200)}) {
                HttpResponse<String> response = server.get("/events/downloads/" + id);
                assertEquals(404, response.statusCode(), id);
                assertEquals("Download not found", Events.json(response.body()).path("detail").asText());
            }
            assertEquals(404, server.get("/events/stream?download_id=bad%0Aid").statusCode());
        }
    }

    @Test
    void unknownApiPathIsAJson404() throws Exception {
        try (TestServer server = TestServer.start(Map.of())) {
            HttpResponse<String> response = server.get("/no/such/thing");
            assertEquals(404, response.statusCode());
            assertEquals("Not Found", Events.json(response.body()).path("detail").asText());
            assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null));
        }
    }
}
