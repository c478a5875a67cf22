package io.hermes.realtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.RawHttp;
import io.hermes.realtime.testing.RedisSnapshot;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import io.hermes.realtime.testing.WarServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bodies broken below JSON, at the HTTP framing: each is answered in the contract's JSON shape on Jetty and
 * on Tomcat alike, never with the container's HTML page or a stack trace, and without waiting for bytes
 * that will not come.
 */
class MalformedBodyIT {
    private static final TestRedis REDIS = TestRedis.shared();
    private static final int MAX_BODY = 4096;
    /** Far below the body deadline, so an answer within it was not the deadline's 408. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);
    private static final Map<String, WarServer> SERVERS = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        REDIS.flush();
        Map<String, String> settings = Map.of(Settings.MAX_BODY_BYTES, String.valueOf(MAX_BODY),
                "HERMES_BODY_READ_TIMEOUT", "30");
        SERVERS.put("jetty", WarServer.start("jetty", settings));
        SERVERS.put("tomcat", WarServer.start("tomcat", settings));
    }

    @AfterAll
    static void stop() throws Exception {
        for (WarServer server : SERVERS.values()) {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jetty", "tomcat"})
    void aMalformedChunkSizeIsA400InTheContractsShape(String container) throws Exception {
        Map<String, String> before = RedisSnapshot.of(REDIS);
        RawHttp.Response response = exchange(container, "POST", "/notifications",
                Map.of("Transfer-Encoding", "chunked"), "zz\r\n");

        assertRefused(response, 400, "malformed");
        assertEquals(before, RedisSnapshot.of(REDIS), "nothing stored");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jetty", "tomcat"})
    void aChunkedBodyGrowingPastTheLimitIsA413ThatClosesTheConnection(String container) throws Exception {
        Map<String, String> before = RedisSnapshot.of(REDIS);
        String chunk = "{\"message\":\"" + "x".repeat(MAX_BODY) + "\"}";
        RawHttp.Response response = exchange(container, "POST", "/notifications",
                Map.of("Transfer-Encoding", "chunked"), Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");

        assertRefused(response, 413, "exceeds");
        assertEquals("close", response.header("Connection"));
        assertEquals(before, RedisSnapshot.of(REDIS), "nothing stored");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jetty", "tomcat"})
    void aDeclaredLengthPastTheLimitIsA413WithoutWaitingForTheBody(String container) throws Exception {
        RawHttp.Response response = exchange(container, "POST", "/notifications",
                Map.of("Content-Length", String.valueOf(MAX_BODY + 1)), "{");

        assertRefused(response, 413, "exceeds");
        assertEquals("close", response.header("Connection"));
    }

    /**
     * A body nothing will read is refused at once and the connection closed, without waiting for the body:
     * to an endpoint that takes none, with a method no endpoint takes, on a GET.
     */
    @ParameterizedTest(name = "{0}: {1} {2} → {3}")
    @CsvSource({
            "jetty,  POST, /health,        405, method", "tomcat, POST, /health,        405, method",
            "jetty,  PUT,  /notifications, 405, method", "tomcat, PUT,  /notifications, 405, method",
            "jetty,  GET,  /health,        400, take no body", "tomcat, GET,  /health,        400, take no body"})
    void aBodyNothingWillReadIsRefusedWithoutWaitingForIt(String container, String method, String path, int status,
            String mentions) throws Exception {
        RawHttp.Response response = exchange(container, method, path, Map.of("Content-Length", "1000"), "{");

        assertRefused(response, status, mentions);
        assertEquals("close", response.header("Connection"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jetty", "tomcat"})
    void anOptionsCarryingABodyIsAnsweredWithoutWaitingForIt(String container) throws Exception {
        RawHttp.Response response = exchange(container, "OPTIONS", "/notifications", Map.of("Content-Length", "1000"), "{");

        assertEquals(204, response.status());
        assertEquals("close", response.header("Connection"));
    }

    /** Sends the head (as the admin, JSON) and {@code body}, and reads the answer, which must come promptly. */
    private static RawHttp.Response exchange(String container, String method, String path, Map<String, String> headers,
            String body) throws Exception {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Authorization", "Bearer " + TestServer.ADMIN_KEY);
        all.put("Content-Type", "application/json");
        all.putAll(headers);
        try (RawHttp http = RawHttp.connect(SERVERS.get(container).port(), PROMPTLY)) {
            return http.send(RawHttp.head(method, path, all)).send(body).read();
        }
    }

    private static void assertRefused(RawHttp.Response response, int status, String mentions) {
        assertEquals(status, response.status(), response.body());
        assertTrue(response.header("Content-Type").startsWith("application/json"), response.headers().toString());
        assertEquals("nosniff", response.header("X-Content-Type-Options"));
        JsonNode error = Events.json(response.body());
        assertTrue(error.path("detail").asText().toLowerCase().contains(mentions), error.toString());
        assertEquals("http_" + status, error.path("error").path("code").asText());
        assertEquals(error.path("detail").asText(), error.path("error").path("message").asText());
        assertFalse(response.body().contains("Exception") || response.body().contains("at io.")
                || response.body().contains("<html"), "no stack trace, no HTML page");
    }
}
