package io.hermes.realtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.RedisSnapshot;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

/**
 * Every bad input gets a clear 4xx with the contract's JSON error body, and Redis holds exactly what it
 * held before. Each row: method, path, content type, body, expected status, a word the detail must contain.
 */
class HostileInputIT {
    private static final TestRedis REDIS = TestRedis.shared();
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        REDIS.flush();
        server = TestServer.start(Map.of("HERMES_MAX_BODY_BYTES", "4096", "HERMES_MAX_METADATA_BYTES", "1024"));
        try (Jedis jedis = REDIS.client()) {
            jedis.hset("hermes:download:mine", "owner", "admin");
        }
        server.post("/notifications", "{\"message\":\"already here\"}");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @ParameterizedTest(name = "{0} {1} [{3}] → {4}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // bodies
            "POST | /notifications  | application/json | {\"message\": | 422 | JSON",
            "POST | /notifications  | application/json | `` | 422 | JSON",
            "POST | /notifications  | application/json | [\"message\"] | 422 | object",
            "POST | /notifications  | application/json | {\"message\":null} | 422 | message",
            "POST | /notifications  | application/json | {\"message\":true} | 422 | message",
            "POST | /notifications  | application/json | {\"message\":\"x\",\"notificationType\":\"INFO\"} | 422 | notificationType",
            "POST | /notifications  | text/plain       | {\"message\":\"x\"} | 415 | application/json",
            "POST | /notifications  |                  | {\"message\":\"x\"} | 415 | application/json",
            "POST | /notifications  | application/json | BIG | 413 | exceeds",
            "POST | /notifications  | application/jsonx | {\"message\":\"x\"} | 415 | application/json",
            "POST | /notifications  | application/json-patch+json | {\"message\":\"x\"} | 415 | application/json",
            "POST | /notifications  | text/json        | {\"message\":\"x\"} | 415 | application/json",
            "POST | /notifications  | application/json; charset=iso-8859-1 | {\"message\":\"x\"} | 415 | utf-8",
            "POST | /notifications  | application/json | {\"message\":\"x\"} xyz | 422 | after its JSON document",
            "POST | /notifications  | application/json | {\"message\":\"x\"}{\"message\":\"y\"} | 422 | after its JSON document",
            "POST | /notifications  | application/json | {\"message\":\"x\",\"message\":\"y\"} | 422 | 'message' appears more than once",
            "POST | /notifications  | application/json | {\"message\":\"a\\ud800\"} | 422 | 'message' contains an unpaired",
            "POST | /notifications  | application/json | NOT_UTF8 | 422 | UTF-8",
            "POST | /download       | application/json | {\"url\":\"https://example.com/a\",\"metadata\":{\"a\":{\"b\":\"\\udc00\"}}} | 422 | 'metadata.a.b'",
            "POST | /download       | application/json | {\"url\":\"https://example.com/a\",\"metadata\":{\"\\ud800\":1}} | 422 | 'metadata' has a field name",
            "POST | /download       | application/json | BIG_METADATA | 422 | 'metadata' must be at most 1024 bytes",
            "POST | /download       | application/json | DEEP_METADATA | 422 | 'metadata.a.a",
            "POST | /download/batch | application/json | {\"urls\":[\"https://example.com/\\udfff\"]} | 422 | 'urls[0]'",
            "POST | /auth/api-keys  | application/json | {\"name\":\"k\",\"expiresAt\":\"+999999999-12-31T23:59:59Z\"} | 422 | expiresAt",
            "POST | /auth/api-keys  | application/json | {\"name\":\"k\",\"expiresAt\":\"10000-01-01T00:00:00Z\"} | 422 | expiresAt",
            "POST | /auth/api-keys  | application/json | {\"name\":\"\\ud83d\\ude00\\ud83d\"} | 422 | name",
            "POST | /events/token   | application/json | {\"scope\":\"queue\",\"ttl\":1e9} | 422 | ttl",
            "POST | /events/token   | application/json | {\"scope\":\"queue\",\"ttl\":-5} | 422 | ttl",
            "POST | /events/token   | application/json | {\"scope\":\"queue\",\"ttl\":300.5} | 422 | ttl",
            "POST | /events/token   | application/json | {\"scope\":[\"queue\"]} | 422 | scope",
            "POST | /events/token   | application/json | {\"scope\":\"download:a\\r\\nb\"} | 404 | not found",
            "POST | /events/token   | application/json | {\"scope\":\"queue\\r\\n\"} | 400 | scope",
            "POST | /auth/api-keys  | application/json | {\"name\":\"k\",\"permissions\":\"admin\"} | 422 | permissions",
            "POST | /auth/api-keys  | application/json | {\"name\":\"k\",\"owner\":\"../../etc\"} | 422 | owner",
            "POST | /auth/api-keys  | application/json | {\"name\":\"k\",\"owner\":\"a\\r\\nb\"} | 422 | owner",
            // ids and query parameters
            "GET  | /notifications?limit=100000 |  |  | 422 | limit",
            "GET  | /notifications?limit=-1     |  |  | 422 | limit",
            "GET  | /events/downloads/x%20y     |  |  | 404 | not found",
            "GET  | /events/downloads/LONGID    |  |  | 404 | not found",
            "GET  | /events/downloads/missing   |  |  | 404 | not found",
            "GET  | /events/stream?download_id=a%0D%0Ab |  |  | 404 | not found",
            "GET  | /events/stream?channels=queue,q%0D%0Aueue |  |  | 422 | channel",
            "DELETE | /auth/api-keys/..%2e..%2e |  |  | 404 | not found",
            "DELETE | /auth/api-keys/%27%3B    |  |  | 404 | not found",
            "POST | /no/such/path   | application/json | {} | 404 | Not Found",
            "PUT  | /notifications  | application/json | {} | 405 | Method",
    })
    void refusedWithAJsonErrorAndNothingStored(String method, String path, String type, String body, int status,
            String mentions) throws Exception {
        String realPath = path.replace("LONGID", "x".repeat(300));
        HttpRequest.Builder request = Http.request(server.api(realPath), TestServer.ADMIN_KEY);
        if (type != null) {
            request.header("Content-Type", type);
        }
        request.method(method, method.equals("GET") || method.equals("DELETE")
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bodyBytes(body)));

        assertRefused(request, status, mentions);
    }

    @ParameterizedTest(name = "Content-Encoding: {0} → 415")
    @ValueSource(strings = {"gzip", "deflate", "br", "identity, gzip"})
    void aCompressedBodyIsRefusedNamingItsEncoding(String encoding) throws Exception {
        assertRefused(Http.request(server.api("/notifications"), TestServer.ADMIN_KEY)
                .header("Content-Type", "application/json").header("Content-Encoding", encoding)
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"x\"}")), 415, "Content-Encoding");
    }

    /** The body of a row: as written, or one the table cannot hold, by its name. */
    private static byte[] bodyBytes(String body) {
        return switch (body == null ? "" : body) {
            case "BIG" -> ("{\"message\":\"" + "x".repeat(10_000) + "\"}").getBytes(StandardCharsets.UTF_8);
            case "NOT_UTF8" -> new byte[] {'{', '"', 'm', 'e', 's', 's', 'a', 'g', 'e', '"', ':', '"', (byte) 0xC3, '"', '}'};
            case "BIG_METADATA" -> ("{\"url\":\"https://example.com/a\",\"metadata\":{\"notes\":\"" + "x".repeat(2000) + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            case "DEEP_METADATA" -> ("{\"url\":\"https://example.com/a\",\"metadata\":" + "{\"a\":".repeat(30) + "1"
                    + "}".repeat(30) + "}").getBytes(StandardCharsets.UTF_8);
            default -> (body == null ? "" : body).getBytes(StandardCharsets.UTF_8);
        };
    }

    private static void assertRefused(HttpRequest.Builder request, int status, String mentions) throws Exception {
        Map<String, String> before = RedisSnapshot.of(REDIS);
        HttpResponse<String> response = Http.send(request);

        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null));
        JsonNode error = Events.json(response.body());
        assertTrue(error.path("detail").asText().toLowerCase().contains(mentions.toLowerCase()), error.toString());
        assertEquals("http_" + status, error.path("error").path("code").asText());
        assertEquals(error.path("detail").asText(), error.path("error").path("message").asText());
        assertFalse(response.body().contains("Exception") || response.body().contains("at io."), "no stack trace");
        assertEquals(before, RedisSnapshot.of(REDIS), "Redis unchanged");
    }
}
