package io.hermes.realtime.bus;

import static io.hermes.realtime.testing.Events.range;
import static io.hermes.realtime.testing.Events.sequences;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.Scrape;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TcpProxy;
import io.hermes.realtime.testing.TestPublisher;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * The delivery canary notices a subscription that died without a word (its connection black-holed while
 * every other connection to Redis works, so PINGs on the pool and publishing still succeed): /health turns
 * 503 within the canary's interval plus its margin, the metric counts it, and the instance recovers by
 * itself, with the events published meanwhile delivered.
 */
class DeliveryCanaryIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int INTERVAL = 1;
    /** The limit (interval + margin), one more tick, and time to poll. */
    private static final Duration DETECTION = Duration.ofSeconds(INTERVAL + 2 + INTERVAL + 1);

    @Test
    void aSilentlyDeadSubscriptionIsReportedWithinTheIntervalAndHealsItself() throws Exception {
        TestRedis redis = TestRedis.shared();
        redis.flush();
        try (TcpProxy network = new TcpProxy(redis.url().getPort());
             TestServer server = TestServer.start(TestRedis.at(URI.create("redis://127.0.0.1:" + network.port())),
                     Map.of(Settings.CANARY_INTERVAL, String.valueOf(INTERVAL), Settings.WORKER_ENABLED, "false"));
             TestPublisher producer = new TestPublisher(redis);
             SseTestClient client = server.stream("/events/queue")) {
            client.awaitConnected(WAIT);
            Await.until(WAIT, () -> health(server) == 200, "the instance is healthy");
            producer.queueUpdate(0);
            assertEquals(List.of(0), sequences(client.events("queue_update", 1, WAIT)));
            assertEquals("healthy", eventsHealth(server).get("delivery"));

            long brokenAt = System.nanoTime();
            assertEquals(1, network.blackHoleSubscribers(), "the subscriber's one connection is black-holed");
            for (int seq = 1; seq <= 5; seq++) {
                producer.queueUpdate(seq);
            }
            Await.until(DETECTION, () -> health(server) == 503, "/health reports the dead subscription");
            double detected = seconds(System.nanoTime() - brokenAt);
            HttpResponse<String> detailed = Http.get(server.api("/health/detailed"));
            assertEquals(503, detailed.statusCode());
            assertTrue(detailed.body().contains("no delivery canary came back"), detailed.body());
            assertTrue(detailed.body().contains("\"redis\":{\"status\":\"healthy\""), "Redis itself answers: "
                    + detailed.body());
            assertTrue(scrape(server).value("hermes_bus_canary_failures_total") >= 2);

            Await.until(WAIT, () -> health(server) == 200, "the instance heals itself");
            double healed = seconds(System.nanoTime() - brokenAt);
            assertEquals("healthy", eventsHealth(server).get("delivery"));
            assertTrue(scrape(server).value("hermes_bus_canary_age_seconds") <= INTERVAL + 2);
            producer.queueUpdate(6);
            assertEquals(range(1, 7), sequences(client.events("queue_update", 6, WAIT)),
                    "what was published while the subscription was dead arrives, then the live tail");
            System.out.printf("DeliveryCanaryIT: interval %d s; unhealthy %.1f s after the subscription went silent,"
                    + " healthy again after %.1f s%n", INTERVAL, detected, healed);
        }
    }

    @Test
    void aKilledSubscriptionReconnectsAndTheCanaryComesBackAgain() throws Exception {
        TestRedis redis = TestRedis.shared();
        redis.flush();
        try (TestServer server = TestServer.start(redis, Map.of(Settings.CANARY_INTERVAL, String.valueOf(INTERVAL),
                Settings.WORKER_ENABLED, "false"));
             Jedis admin = redis.client()) {
            Await.until(WAIT, () -> health(server) == 200, "the instance is healthy");
            double failuresBefore = scrape(server).value("hermes_bus_canary_failures_total");
            assertTrue(admin.clientKill(new ClientKillParams().type(ClientType.PUBSUB)) >= 1);
            long killedAt = System.nanoTime();
            Await.until(WAIT, () -> scrape(server).value("hermes_bus_canary_age_seconds") < 0.5
                    && (System.nanoTime() - killedAt) > 1_500_000_000L, "a canary after the kill comes back");
            assertEquals(200, health(server));
            System.out.printf("DeliveryCanaryIT: after CLIENT KILL TYPE pubsub, %.0f canary failure(s)%n",
                    scrape(server).value("hermes_bus_canary_failures_total") - failuresBefore);
        }
    }

    private static int health(TestServer server) throws Exception {
        return Http.get(server.api("/health")).statusCode();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> eventsHealth(TestServer server) throws Exception {
        HttpResponse<String> response = Http.get(server.api("/events/health"));
        assertEquals(200, response.statusCode());
        return new com.fasterxml.jackson.databind.ObjectMapper().readValue(response.body(), Map.class);
    }

    private static Scrape scrape(TestServer server) throws Exception {
        HttpResponse<String> response = Http.get(URI.create("http://127.0.0.1:" + server.port() + "/metrics"),
                TestServer.ADMIN_KEY);
        assertEquals(200, response.statusCode(), response.body());
        return Scrape.parse(response.body());
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
