package io.hermes.realtime.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Health answers without credentials: 200 while Redis answers, 503 once it does not. */
class HealthIT {

    @Test
    void healthFollowsRedis() throws Exception {
        TestRedis redis = TestRedis.startEmbedded();
        try (TestServer server = TestServer.start(redis, Map.of())) {
            JsonNode healthy = Events.json(Http.get(server.api("/health")).body());
            assertEquals("healthy", healthy.path("status").asText());
            assertTrue(healthy.path("version").asText().startsWith("0."));
            assertEquals("production", healthy.path("environment").asText());
            assertTrue(healthy.path("timestamp").asText().endsWith("Z"));
            JsonNode detailed = Events.json(Http.get(server.api("/health/detailed/")).body());
            assertEquals("healthy", detailed.path("dependencies").path("redis").path("status").asText());
            assertTrue(detailed.path("dependencies").path("redis").path("responseTimeMs").isNumber());

            redis.stop();
            HttpResponse<String> down = Http.get(server.api("/health"));
            assertEquals(503, down.statusCode());
            assertEquals("unhealthy", Events.json(down.body()).path("status").asText());
            JsonNode why = Events.json(Http.get(server.api("/health/detailed")).body());
            assertTrue(why.path("dependencies").path("redis").path("message").asText().startsWith("Redis unreachable"));
            redis.start();
        } finally {
            redis.stop();
        }
    }
}
