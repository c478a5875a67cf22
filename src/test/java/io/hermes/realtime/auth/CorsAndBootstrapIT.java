package io.hermes.realtime.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** CORS only for configured origins; exactly one admin key created on a first start, however many instances. */
class CorsAndBootstrapIT {
    private static final String ALLOWED = "https://dash.example.org";

    @Test
    void preflightIsAnsweredForConfiguredOriginsOnly() throws Exception {
        TestRedis.shared().flush();
        try (TestServer server = TestServer.start(Map.of(Settings.ALLOWED_ORIGINS, ALLOWED + ", https://other.example"))) {
            HttpResponse<String> preflight = Http.send(Http.request(server.api("/events/stream"), null)
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", ALLOWED)
                    .header("Access-Control-Request-Method", "GET")
                    .header("Access-Control-Request-Headers", "last-event-id, authorization"));
            assertEquals(204, preflight.statusCode());
            assertEquals(ALLOWED, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            assertEquals("true", preflight.headers().firstValue("Access-Control-Allow-Credentials").orElse(null));
            assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Last-Event-ID"));

            HttpResponse<String> foreign = Http.send(Http.request(server.api("/events/stream"), null)
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://evil.example")
                    .header("Access-Control-Request-Method", "GET"));
            assertFalse(foreign.headers().firstValue("Access-Control-Allow-Origin").isPresent());

            HttpResponse<String> simple = Http.send(Http.request(server.api("/notifications"), TestServer.ADMIN_KEY)
                    .header("Origin", ALLOWED).GET());
            assertEquals(ALLOWED, simple.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            assertEquals("nosniff", simple.headers().firstValue("X-Content-Type-Options").orElse(null));
            assertEquals("DENY", simple.headers().firstValue("X-Frame-Options").orElse(null));
            assertTrue(simple.headers().firstValue("Content-Security-Policy").isPresent());
            assertTrue(simple.headers().firstValue("Referrer-Policy").isPresent());
        }
    }

    @Test
    void noOriginIsAllowedByDefault() throws Exception {
        TestRedis.shared().flush();
        try (TestServer server = TestServer.start(Map.of())) {
            HttpResponse<String> response = Http.send(Http.request(server.api("/notifications"), TestServer.ADMIN_KEY)
                    .header("Origin", ALLOWED).GET());
            assertFalse(response.headers().firstValue("Access-Control-Allow-Origin").isPresent());
        }
    }

    @Test
    void firstStartWithoutKeysCreatesExactlyOneAdminKeyEvenWithInstancesStartingTogether() throws Exception {
        TestRedis redis = TestRedis.shared();
        redis.flush();
        ExecutorService starters = Executors.newFixedThreadPool(3);
        try {
            Callable<TestServer> start = () -> TestServer.start(redis, Map.of(Settings.API_KEYS, ""));
            Future<TestServer> one = starters.submit(start);
            Future<TestServer> two = starters.submit(start);
            Future<TestServer> three = starters.submit(start);
            try (TestServer a = one.get(); TestServer b = two.get(); TestServer c = three.get();
                 Jedis jedis = redis.client()) {
                assertEquals(1, jedis.scard("hermes:apikeys"));
                String id = jedis.smembers("hermes:apikeys").iterator().next();
                assertEquals("[\"admin\"]", jedis.hget("hermes:apikey:" + id, "permissions"));
            }
        } finally {
            starters.shutdownNow();
        }
    }
}
