package io.hermes.realtime.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.SseEvent;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Revoking a key ends, on every instance and within a second, the streams opened with it and with the SSE
 * tokens it obtained; neither opens a stream again, and every other stream carries on. Instance two reaches
 * Redis through a proxy, so a test can cut it off while the revocation is announced.
 */
class RevocationIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** The contract's "at once", as this test holds it. */
    private static final Duration AT_ONCE = Duration.ofSeconds(1);

    private final TestRedis redis = TestRedis.shared();
    private TcpProxy network;
    private TestServer one;
    private TestServer two;
    private TestPublisher publisher;

    /** A key as created: its id, for revoking, and the secret, for using it. */
    private record Key(String id, String secret) {
    }

    @BeforeEach
    void start() throws Exception {
        redis.flush();
        network = new TcpProxy(redis.url().getPort());
        one = TestServer.start(redis, Map.of(Settings.WORKER_ENABLED, "false"));
        two = TestServer.start(TestRedis.at(URI.create("redis://127.0.0.1:" + network.port())),
                Map.of(Settings.WORKER_ENABLED, "false"));
        publisher = new TestPublisher(redis);
    }

    @AfterEach
    void stop() throws Exception {
        publisher.close();
        one.close();
        two.close();
        network.close();
    }

    @Test
    void revokingAKeyEndsItsStreamsAndItsTokensStreamsOnEveryInstanceWithinASecond() throws Exception {
        Key revoked = createKey("tablet", "alice");
        Key kept = createKey("phone", "alice");
        String revokedToken = token(two, revoked, "system");
        String keptToken = token(one, kept, "system");
        try (SseTestClient bearerOnOne = withKey(one, revoked);
             SseTestClient tokenOnTwo = withToken(two, revokedToken);
             SseTestClient keptOnOne = withKey(one, kept);
             SseTestClient keptTokenOnTwo = withToken(two, keptToken);
             SseTestClient adminOnTwo = two.stream("/events/system")) {
            List<SseTestClient> ending = List.of(bearerOnOne, tokenOnTwo);
            List<SseTestClient> staying = List.of(keptOnOne, keptTokenOnTwo, adminOnTwo);
            for (SseTestClient client : List.of(bearerOnOne, tokenOnTwo, keptOnOne, keptTokenOnTwo, adminOnTwo)) {
                assertEquals(200, client.status());
                client.awaitConnected(WAIT);
            }
            notify("before");
            for (SseTestClient client : List.of(bearerOnOne, tokenOnTwo, keptOnOne, keptTokenOnTwo, adminOnTwo)) {
                assertEquals("before", nextNotification(client), "every stream is live");
            }

            assertEquals(200, Http.delete(one.api("/auth/api-keys/" + revoked.id()), TestServer.ADMIN_KEY).statusCode());
            long answered = System.nanoTime();
            notify("after");
            long[] endedAfterMillis = new long[ending.size()];
            for (int i = 0; i < ending.size(); i++) {
                Duration left = AT_ONCE.minusNanos(System.nanoTime() - answered);
                assertTrue(ending.get(i).awaitEnd(left.isNegative() ? Duration.ZERO : left),
                        "stream " + i + " of the revoked key ended within " + AT_ONCE);
                endedAfterMillis[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answered);
            }
            for (SseTestClient client : ending) {
                assertFalse(client.drainReceived().stream().anyMatch(RevocationIT::isNotification),
                        "no event published after the revocation reached a stream of the revoked key");
            }
            for (SseTestClient client : staying) {
                assertEquals("after", nextNotification(client), "other streams carry on");
            }

            for (TestServer server : List.of(one, two)) {
                try (SseTestClient byKey = withKey(server, revoked); SseTestClient byToken = withToken(server, revokedToken)) {
                    assertEquals(401, byKey.status(), "the revoked key opens no new stream");
                    assertEquals(401, byToken.status(), "nor does a token it obtained");
                }
            }
            notify("later");
            for (SseTestClient client : staying) {
                assertEquals("later", nextNotification(client));
                assertFalse(client.hasEnded());
            }
            System.out.printf("RevocationIT: after DELETE answered, the Bearer stream on the same instance ended in"
                    + " %d ms, the token stream on the other instance in %d ms%n", endedAfterMillis[0], endedAfterMillis[1]);
        }
    }

    @Test
    void aRevocationAnnouncedWhileAnInstanceWasCutOffFromRedisEndsItsStreamsWhenItResubscribes() throws Exception {
        Key revoked = createKey("tablet", "alice");
        Key kept = createKey("phone", "alice");
        String revokedToken = token(one, revoked, "system");
        try (SseTestClient tokenOnTwo = withToken(two, revokedToken);
             SseTestClient bearerOnTwo = withKey(two, revoked);
             SseTestClient keptOnTwo = withKey(two, kept)) {
            for (SseTestClient client : List.of(tokenOnTwo, bearerOnTwo, keptOnTwo)) {
                client.awaitConnected(WAIT);
            }

            network.cut(true); // two's subscription (and every other connection of two's) is gone until restored
            assertEquals(200, Http.delete(one.api("/auth/api-keys/" + revoked.id()), TestServer.ADMIN_KEY).statusCode());
            notify("while cut off");
            assertFalse(tokenOnTwo.awaitEnd(AT_ONCE), "two never heard the announcement");

            network.restore();
            long restored = System.nanoTime();
            assertTrue(tokenOnTwo.awaitEnd(WAIT) && bearerOnTwo.awaitEnd(WAIT), "ended once two subscribed again");
            long endedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restored);
            assertEquals("while cut off", nextNotification(keptOnTwo), "the catch-up reaches the other key's stream");
            for (SseTestClient client : List.of(tokenOnTwo, bearerOnTwo)) {
                assertFalse(client.drainReceived().stream().anyMatch(RevocationIT::isNotification),
                        "the catch-up never reaches a stream of the revoked key");
            }
            try (SseTestClient again = withToken(two, revokedToken)) {
                assertEquals(401, again.status());
            }
            System.out.printf("RevocationIT: a revocation missed while cut off from Redis ended the streams %d ms after"
                    + " the network was restored (the subscriber's reconnect backoff included)%n", endedAfterMillis);
        }
    }

    private Key createKey(String name, String owner) throws Exception {
        HttpResponse<String> created = one.post("/auth/api-keys",
                "{\"name\":\"" + name + "\",\"permissions\":[\"read\"],\"owner\":\"" + owner + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode body = Events.json(created.body());
        return new Key(body.path("id").asText(), body.path("key").asText());
    }

    private static String token(TestServer server, Key key, String scope) throws Exception {
        HttpResponse<String> issued = Http.postJson(server.api("/events/token"), "{\"scope\":\"" + scope + "\"}",
                key.secret());
        assertEquals(200, issued.statusCode(), issued.body());
        return Events.json(issued.body()).path("token").asText();
    }

    private static SseTestClient withKey(TestServer server, Key key) throws Exception {
        return SseTestClient.open(server.api("/events/system"), Map.of("Authorization", "Bearer " + key.secret()));
    }

    private static SseTestClient withToken(TestServer server, String token) throws Exception {
        return SseTestClient.open(server.api("/events/system?token=" + token));
    }

    private void notify(String message) {
        publisher.publish(Channel.SYSTEM, Map.of("id", message, "notification_type", "info", "message", message));
    }

    private static String nextNotification(SseTestClient client) throws InterruptedException {
        SseEvent event = client.next(RevocationIT::isNotification, WAIT);
        return Events.json(event.data()).path("message").asText();
    }

    private static boolean isNotification(SseEvent event) {
        return event.name().equals(Channel.SYSTEM.eventType());
    }
}
