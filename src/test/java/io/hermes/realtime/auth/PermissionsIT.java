package io.hermes.realtime.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.clients.jedis.Jedis;

/** Who may call what: every route against every kind of credential, and keys that stop working. */
class PermissionsIT {
    private static final TestRedis REDIS = TestRedis.shared();
    private static TestServer server;
    private static Map<String, String> keys;

    @BeforeAll
    static void start() throws Exception {
        REDIS.flush();
        server = TestServer.start(Map.of(io.hermes.realtime.app.Settings.WORKER_ENABLED, "false"));
        keys = Map.of(
                "read", createKey("reader", "[\"read\"]", "alice"),
                "write", createKey("writer", "[\"write\"]", "alice"),
                "download", createKey("downloader", "[\"download\"]", "alice"),
                "admin", createKey("second admin", "[\"admin\"]", "ops"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static String createKey(String name, String permissions, String owner) throws Exception {
        HttpResponse<String> created = server.post("/auth/api-keys",
                "{\"name\":\"" + name + "\",\"permissions\":" + permissions + ",\"owner\":\"" + owner + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        return Events.json(created.body()).path("key").asText();
    }

    /** Each route, the permission it needs, and a body when it is a POST. */
    @ParameterizedTest(name = "{0} {1} needs {2}")
    @CsvSource(delimiter = '|', value = {
            "GET    | /notifications   | read  | ",
            "POST   | /notifications   | write | {\"message\":\"hi\"}",
            "POST   | /events/token    | read  | {\"scope\":\"queue\"}",
            "GET    | /auth/api-keys   | admin | ",
            "POST   | /auth/api-keys   | admin | {\"name\":\"k\"}",
            "STREAM | /events/queue    | read  | ",
            "STREAM | /events/stream   | read  | ",
            "STREAM | /events/system   | read  | ",
            "STREAM | /events/storage  | read  | ",
            "POST   | /download        | write | {\"url\":\"https://example.org/f\"}",
            "POST   | /download/batch  | write | {\"urls\":[\"https://example.org/g\"]}",
            "GET    | /queue           | read  | ",
            "GET    | /download/queue  | read  | ",
            "GET    | /history         | read  | ",
            "GET    | /stats           | read  | ",
            "GET    | /timeline        | read  | ",
            "GET    | /timeline/summary | read | ",
            "GET    | /storage         | read  | ",
    })
    void routeAnswersEachCredentialAsTheContractSays(String method, String path, String permission, String body)
            throws Exception {
        assertEquals(401, call(method, path, body, null), "no key");
        assertEquals(401, call(method, path, body, "hk_" + "x".repeat(43)), "unknown key");
        assertEquals(401, call(method, path, body, "garbage\u00e9"), "malformed key");
        for (String held : List.of("read", "write", "download", "admin")) {
            boolean allowed = held.equals("admin") || held.equals(permission);
            int status = call(method, path, body, keys.get(held));
            if (allowed) {
                assertTrue(status < 300, held + " key on " + path + " answered " + status);
            } else {
                assertEquals(403, status, held + " key on " + path);
            }
        }
    }

    @Test
    void lackingPermissionIsA403NamingIt() throws Exception {
        HttpResponse<String> refused = Http.postJson(server.api("/notifications"), "{\"message\":\"x\"}", keys.get("read"));
        assertEquals(403, refused.statusCode());
        assertEquals("Permission denied: write required", Events.json(refused.body()).path("detail").asText());
        HttpResponse<String> anonymous = Http.get(server.api("/notifications"));
        assertEquals(401, anonymous.statusCode());
        assertEquals("Bearer", anonymous.headers().firstValue("WWW-Authenticate").orElse(null));
    }

    @Test
    void healthEndpointsStayOpen() throws Exception {
        assertEquals(200, Http.get(server.api("/events/health")).statusCode());
        assertEquals(200, Http.get(server.api("/health")).statusCode());
        assertEquals(200, Http.get(server.api("/health/detailed")).statusCode());
    }

    @Test
    void downloadItemRoutesNeedTheirPermission() throws Exception {
        String id = server.downloads(keys.get("write")).submit("https://example.org/h");
        assertEquals(401, Http.get(server.api("/download/" + id), null).statusCode());
        assertEquals(403, Http.get(server.api("/download/" + id), keys.get("write")).statusCode(), "write is not read");
        assertEquals(403, Http.postJson(server.api("/download/" + id + "/cancel"), "{}", keys.get("read")).statusCode());
        assertEquals(403, Http.delete(server.api("/download/" + id), keys.get("read")).statusCode());
        assertEquals(200, Http.postJson(server.api("/download/" + id + "/cancel"), "{}", keys.get("write")).statusCode());
        assertEquals(200, Http.delete(server.api("/download/" + id), keys.get("admin")).statusCode());
    }

    @Test
    void revokedKeyStopsWorkingAtOnce() throws Exception {
        String key = createKey("short lived", "[\"read\"]", "carol");
        assertEquals(200, Http.get(server.api("/notifications"), key).statusCode());
        String id = findKeyId("short lived");
        HttpResponse<String> revoked = Http.delete(server.api("/auth/api-keys/" + id), TestServer.ADMIN_KEY);
        assertEquals(200, revoked.statusCode());
        assertEquals("API key revoked successfully", Events.json(revoked.body()).path("message").asText());
        assertEquals(401, Http.get(server.api("/notifications"), key).statusCode());
        JsonNode listed = listed("short lived");
        assertFalse(listed.path("isActive").asBoolean(true));
        assertEquals(404, Http.delete(server.api("/auth/api-keys/00000000-0000-0000-0000-000000000000"),
                TestServer.ADMIN_KEY).statusCode());
        assertEquals(404, Http.delete(server.api("/auth/api-keys/not-an-id"), TestServer.ADMIN_KEY).statusCode());
    }

    @Test
    void twoAuthorizationHeadersAreRefusedWith400BeforeAnythingIsStored() throws Exception {
        String token = Events.json(Http.postJson(server.api("/events/token"), "{\"scope\":\"queue\"}",
                keys.get("read")).body()).path("token").asText();
        Map<String, String> before = io.hermes.realtime.testing.RedisSnapshot.of(REDIS);
        // The admin key first: a server where the first header wins would store each of these.
        for (String[] post : new String[][] {
                {"/download", "{\"url\":\"https://example.org/twice\"}"},
                {"/auth/api-keys", "{\"name\":\"twice\"}"},
                {"/notifications", "{\"message\":\"twice\"}"}}) {
            assertRefusedForTwoHeaders(withTwoAuthorizations(post[0]).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(post[1])), post[0]);
        }
        assertRefusedForTwoHeaders(withTwoAuthorizations("/queue").GET(), "/queue");
        assertRefusedForTwoHeaders(withTwoAuthorizations("/events/queue").GET(), "/events/queue");
        assertRefusedForTwoHeaders(withTwoAuthorizations("/events/queue?token=" + token).GET(), "a stream by token");
        assertEquals(before, io.hermes.realtime.testing.RedisSnapshot.of(REDIS), "nothing stored");
    }

    private static HttpRequest.Builder withTwoAuthorizations(String path) {
        return Http.request(server.api(path), TestServer.ADMIN_KEY).header("Authorization", "Bearer " + keys.get("read"));
    }

    private static void assertRefusedForTwoHeaders(HttpRequest.Builder request, String what) throws Exception {
        HttpResponse<String> refused = Http.send(request);
        assertEquals(400, refused.statusCode(), what + ": " + refused.body());
        JsonNode body = Events.json(refused.body());
        assertTrue(body.path("detail").asText().contains("Authorization"), body.toString());
        assertEquals(body.path("detail"), body.path("error").path("message"));
        assertEquals("http_400", body.path("error").path("code").asText());
    }

    @Test
    void expiredKeyStopsWorkingAtItsExpiry() throws Exception {
        Instant expiry = Instant.now().plusSeconds(2);
        HttpResponse<String> created = server.post("/auth/api-keys",
                "{\"name\":\"expiring\",\"permissions\":[\"read\"],\"expiresAt\":\"" + expiry + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        String key = Events.json(created.body()).path("key").asText();
        assertEquals(200, Http.get(server.api("/notifications"), key).statusCode());
        Await.until(Duration.ofSeconds(10), () -> !Instant.now().isBefore(expiry.plusMillis(50)), "the key's expiry");
        assertEquals(401, Http.get(server.api("/notifications"), key).statusCode());
    }

    @Test
    void createdKeyIsShownOnceAndStoredOnlyAsAHash() throws Exception {
        HttpResponse<String> created = server.post("/auth/api-keys", "{\"name\":\"shown once\"}");
        JsonNode body = Events.json(created.body());
        String key = body.path("key").asText();
        assertTrue(key.length() >= 43, "at least 32 random bytes");
        assertTrue(key.matches("[A-Za-z0-9_-]+"), "URL-safe");
        assertEquals(List.of("read"), List.of(body.path("permissions").get(0).asText()));
        assertEquals("admin", body.path("owner").asText(), "defaults to the caller's owner");
        for (String field : List.of("id", "name", "key", "permissions", "owner", "rateLimit", "isActive", "createdAt",
                "lastUsed", "expiresAt")) {
            assertTrue(body.has(field), field);
        }
        HttpResponse<String> list = server.get("/auth/api-keys");
        assertFalse(list.body().contains(key), "never listed again");
        assertFalse(list.body().contains("\"key\""));
        try (Jedis jedis = REDIS.client()) {
            for (String redisKey : jedis.keys("*")) {
                String type = jedis.type(redisKey);
                String dump = switch (type) {
                    case "string" -> jedis.get(redisKey);
                    case "hash" -> jedis.hgetAll(redisKey).toString();
                    case "set" -> jedis.smembers(redisKey).toString();
                    default -> "";
                };
                assertFalse(dump.contains(key) || redisKey.contains(key), "plain key found in " + redisKey);
            }
        }
    }

    @Test
    void keyCreationValidatesItsFields() throws Exception {
        for (String bad : List.of("{}", "{\"name\":\"\"}", "{\"name\":\"k\",\"permissions\":[\"root\"]}",
                "{\"name\":\"k\",\"permissions\":\"read\"}", "{\"name\":\"k\",\"expiresAt\":\"yesterday\"}",
                "{\"name\":\"k\",\"expiresAt\":\"2000-01-01T00:00:00Z\"}", "{\"name\":\"k\",\"owner\":\"a b\"}",
                "{\"name\":\"" + "n".repeat(101) + "\"}")) {
            Map<String, String> before = io.hermes.realtime.testing.RedisSnapshot.of(REDIS);
            HttpResponse<String> refused = server.post("/auth/api-keys", bad);
            assertEquals(422, refused.statusCode(), bad);
            assertEquals(before, io.hermes.realtime.testing.RedisSnapshot.of(REDIS), "nothing stored for " + bad);
        }
    }

    @Test
    void aKeyWithoutPermissionsIsCreatedAndMayDoNothing() throws Exception {
        // The upstream web app offers it ("No permissions"), and its API accepts an empty list.
        HttpResponse<String> created = server.post("/auth/api-keys", "{\"name\":\"nothing\",\"permissions\":[]}");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode key = Events.json(created.body());
        assertEquals(0, key.path("permissions").size());
        assertEquals(403, Http.get(server.api("/queue"), key.path("key").asText()).statusCode());
        assertEquals(0, listed("nothing").path("permissions").size());
    }

    private static String findKeyId(String name) throws Exception {
        return listed(name).path("id").asText();
    }

    private static JsonNode listed(String name) throws Exception {
        for (JsonNode key : Events.json(server.get("/auth/api-keys").body())) {
            if (key.path("name").asText().equals(name)) {
                return key;
            }
        }
        throw new AssertionError("no key named " + name);
    }

    private static int call(String method, String path, String body, String key) throws Exception {
        return switch (method) {
            case "GET" -> Http.get(server.api(path), key).statusCode();
            case "POST" -> Http.postJson(server.api(path), body, key).statusCode();
            case "STREAM" -> {
                Map<String, String> headers = key == null ? Map.of("Authorization", "") : Map.of("Authorization", "Bearer " + key);
                try (SseTestClient client = SseTestClient.open(server.api(path), headers)) {
                    yield client.status();
                }
            }
            default -> throw new IllegalArgumentException(method);
        };
    }
}
