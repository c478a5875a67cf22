package io.hermes.realtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.Scrape;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/events/fallback}: the page's report that it switched to polling and back, counted. */
class FallbackReportsIT {
    private static final String COUNTER = "hermes_client_fallback_reports_total";
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        TestRedis.shared().flush();
        server = TestServer.start(Map.of(Settings.FALLBACK_REPORTS_PER_MINUTE, "3"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private HttpResponse<String> report(String body, String key) throws Exception {
        return Http.postJson(server.api("/events/fallback"), body, key);
    }

    private Scrape scrape() throws Exception {
        return Scrape.parse(Http.get(URI.create("http://127.0.0.1:" + server.port() + "/metrics"),
                TestServer.ADMIN_KEY).body());
    }

    @Test
    void reportsAreCountedByState() throws Exception {
        assertEquals(0, scrape().value(COUNTER, "state", "polling"));
        assertEquals(204, report("{\"state\": \"polling\"}", TestServer.ADMIN_KEY).statusCode());
        assertEquals(204, report("{\"state\": \"streaming\"}", TestServer.ADMIN_KEY).statusCode());
        Scrape after = scrape();
        assertEquals(1, after.value(COUNTER, "state", "polling"));
        assertEquals(1, after.value(COUNTER, "state", "streaming"));
        assertEquals("counter", after.type(COUNTER));
    }

    @Test
    void aReportNeedsAKeyAndAKnownState() throws Exception {
        HttpResponse<String> anonymous = report("{\"state\": \"polling\"}", null);
        assertEquals(401, anonymous.statusCode());
        for (String body : new String[] {"{\"state\": \"sleeping\"}", "{}", "{\"state\": 1}", "[]"}) {
            HttpResponse<String> refused = report(body, TestServer.ADMIN_KEY);
            assertEquals(422, refused.statusCode(), body);
            JsonNode error = Events.json(refused.body());
            assertEquals("http_422", error.path("error").path("code").asText(), refused.body());
            assertTrue(error.path("detail").isTextual(), refused.body());
        }
        assertEquals(0, scrape().value(COUNTER, "state", "polling"));
    }

    @Test
    void aCallerBeyondItsLimitGets429AndIsNotCounted() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(204, report("{\"state\": \"polling\"}", TestServer.ADMIN_KEY).statusCode());
        }
        HttpResponse<String> refused = report("{\"state\": \"polling\"}", TestServer.ADMIN_KEY);
        assertEquals(429, refused.statusCode(), refused.body());
        int retryAfter = Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertEquals("http_429", Events.json(refused.body()).path("error").path("code").asText());
        assertEquals(3, scrape().value(COUNTER, "state", "polling"));
    }
}
