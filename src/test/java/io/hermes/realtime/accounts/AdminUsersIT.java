package io.hermes.realtime.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
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

/** The admin's user endpoints: create, list, promote, disable (ending the user's sessions and streams), delete. */
class AdminUsersIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final TestRedis redis = TestRedis.shared();
    private TestServer server;
    private String admin;
    private String adminId;

    @BeforeEach
    void start() throws Exception {
        redis.flush();
        server = TestServer.start(redis, Map.of(Settings.WORKER_ENABLED, "false"));
        JsonNode auth = json(Http.postJson(server.api("/auth/signup"),
                "{\"username\":\"alice\",\"email\":\"alice@example.com\",\"password\":\"s3cret-pass\"}"));
        admin = auth.path("accessToken").asText();
        adminId = auth.path("user").path("id").asText();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void anAdminCreatesAndListsUsersWhileSignupIsClosed() throws Exception {
        HttpResponse<String> created = createBob();
        assertEquals(200, created.statusCode(), created.body());
        assertFalse(json(created).path("isAdmin").asBoolean());
        assertEquals(409, createBob().statusCode());
        JsonNode list = json(Http.get(server.api("/users"), admin));
        assertEquals(2, list.size());
        assertEquals("bob", list.get(0).path("username").asText(), "newest first");
        String bob = json(login("bob")).path("accessToken").asText();
        assertEquals(403, Http.get(server.api("/users"), bob).statusCode());
        HttpResponse<String> promoted = send("PATCH", "/users/" + json(created).path("id").asText() + "/admin",
                "{\"isAdmin\":true}", admin);
        assertTrue(json(promoted).path("isAdmin").asBoolean(), promoted.body());
        assertEquals(200, Http.get(server.api("/users"), bob).statusCode(), "a promotion holds at once");
    }

    @Test
    void disablingAUserEndsItsSessionsKeysAndStreams() throws Exception {
        String bobId = json(createBob()).path("id").asText();
        String bob = json(login("bob")).path("accessToken").asText();
        String bobKey = json(Http.postJson(server.api("/auth/api-keys"), "{\"name\":\"bob's\"}", bob))
                .path("key").asText();
        try (SseTestClient stream = SseTestClient.open(server.api("/events/system"),
                Map.of("Authorization", "Bearer " + bob));
             SseTestClient byKey = SseTestClient.open(server.api("/events/system"),
                     Map.of("Authorization", "Bearer " + bobKey))) {
            stream.awaitConnected(WAIT);
            byKey.awaitConnected(WAIT);
            HttpResponse<String> disabled = send("PATCH", "/users/" + bobId + "/active", "{\"is_active\":false}", admin);
            assertEquals(200, disabled.statusCode(), disabled.body());
            assertFalse(json(disabled).path("isActive").asBoolean());
            assertTrue(stream.awaitEnd(WAIT), "the disabled user's stream ended");
            assertTrue(byKey.awaitEnd(WAIT), "so did the stream of the key it made");
        }
        assertEquals(401, Http.get(server.api("/queue"), bob).statusCode());
        assertEquals(401, Http.get(server.api("/queue"), bobKey).statusCode(), "its keys are revoked");
        HttpResponse<String> refused = login("bob");
        assertEquals(401, refused.statusCode());
        assertEquals("Account is disabled", json(refused).path("detail").asText());
        assertEquals(200, send("PATCH", "/users/" + bobId + "/active", "{\"isActive\":true}", admin).statusCode());
        assertEquals(200, login("bob").statusCode());
    }

    @Test
    void anAdminCannotDemoteDisableOrDeleteItselfNorTheLastAdmin() throws Exception {
        assertEquals(400, send("PATCH", "/users/" + adminId + "/admin", "{\"isAdmin\":false}", admin).statusCode());
        assertEquals(400, send("PATCH", "/users/" + adminId + "/active", "{\"isActive\":false}", admin).statusCode());
        assertEquals(400, Http.delete(server.api("/users/" + adminId), admin).statusCode());
        HttpResponse<String> lastAdmin = send("PATCH", "/users/" + adminId + "/admin", "{\"isAdmin\":false}",
                TestServer.ADMIN_KEY);
        assertEquals(400, lastAdmin.statusCode(), "an admin key cannot demote the last admin either");
        assertEquals(422, send("PATCH", "/users/" + adminId + "/admin", "{}", admin).statusCode());
        assertEquals(404, send("PATCH", "/users/no-such-user/admin", "{\"isAdmin\":true}", admin).statusCode());
    }

    @Test
    void deletingAUserEndsItsSessionsAndFreesItsName() throws Exception {
        String bobId = json(createBob()).path("id").asText();
        String bob = json(login("bob")).path("accessToken").asText();
        HttpResponse<String> deleted = Http.delete(server.api("/users/" + bobId), admin);
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertEquals("User deleted successfully", json(deleted).path("message").asText());
        assertEquals(401, Http.get(server.api("/auth/me"), bob).statusCode());
        assertEquals(404, Http.delete(server.api("/users/" + bobId), admin).statusCode());
        assertEquals(1, json(Http.get(server.api("/users"), admin)).size());
        assertEquals(200, createBob().statusCode(), "the name is free again");
    }

    private HttpResponse<String> createBob() throws Exception {
        return Http.postJson(server.api("/users"),
                "{\"username\":\"bob\",\"email\":\"bob@example.com\",\"password\":\"s3cret-pass\"}", admin);
    }

    private HttpResponse<String> login(String username) throws Exception {
        return Http.postJson(server.api("/auth/login"),
                "{\"username\":\"" + username + "\",\"password\":\"s3cret-pass\"}");
    }

    private HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
        return Http.send(Http.request(server.api(path), key).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)));
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Events.json(response.body());
    }
}
