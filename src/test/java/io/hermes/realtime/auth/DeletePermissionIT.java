package io.hermes.realtime.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The permission {@code delete}, which the upstream app's key form offers: the DELETE endpoints, nothing else. */
class DeletePermissionIT {
    private final TestRedis redis = TestRedis.shared();
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        redis.flush();
        server = TestServer.start(redis, Map.of(Settings.WORKER_ENABLED, "false"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void aDeleteKeyDeletesDownloadsAndDoesNothingElse() throws Exception {
        String deleter = key("[\"delete\"]");
        String writer = key("[\"write\"]");
        String first = server.downloads(writer).submit("https://example.org/one");
        String second = server.downloads(writer).submit("https://example.org/two");
        assertEquals(200, Http.delete(server.api("/download/" + first), deleter).statusCode());
        assertEquals(200, Http.delete(server.api("/download/" + second), writer).statusCode(), "write deletes too");
        assertEquals(403, Http.get(server.api("/queue"), deleter).statusCode());
        assertEquals(403, Http.postJson(server.api("/download"), "{\"url\":\"https://example.org/f\"}", deleter)
                .statusCode());
    }

    private String key(String permissions) throws Exception {
        HttpResponse<String> created = server.post("/auth/api-keys",
                "{\"name\":\"k\",\"permissions\":" + permissions + ",\"owner\":\"alice\"}");
        assertEquals(201, created.statusCode(), created.body());
        return Events.json(created.body()).path("key").asText();
    }
}
