package io.hermes.realtime.cluster;

import static io.hermes.realtime.testing.Events.range;
import static io.hermes.realtime.testing.Events.sequences;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.SseEvent;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestPublisher;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two instances on one Redis behave as one service. (One worker per download: see WorkerIT.) */
class TwoInstancesIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final TestRedis redis = TestRedis.shared();
    private TestServer one;
    private TestServer two;

    @BeforeEach
    void start() throws Exception {
        redis.flush();
        one = TestServer.start(Map.of(Settings.WORKER_ENABLED, "false"));
        two = TestServer.start(Map.of(Settings.WORKER_ENABLED, "false"));
    }

    @AfterEach
    void stop() throws Exception {
        one.close();
        two.close();
    }

    @Test
    void anEventPublishedThroughEitherInstanceReachesClientsOnBoth() throws Exception {
        try (SseTestClient onOne = one.stream("/events/system"); SseTestClient onTwo = two.stream("/events/system")) {
            onOne.awaitConnected(WAIT);
            onTwo.awaitConnected(WAIT);
            one.post("/notifications", "{\"message\":\"from one\"}");
            two.post("/notifications", "{\"message\":\"from two\"}");
            for (SseTestClient client : List.of(onOne, onTwo)) {
                List<SseEvent> received = client.events("system_notification", 2, WAIT);
                assertEquals(List.of("from one", "from two"), received.stream()
                        .map(event -> Events.json(event.data()).path("message").asText()).toList());
            }
        }
    }

    @Test
    void aClientThatReconnectsToTheOtherInstanceLosesNothing() throws Exception {
        try (TestPublisher publisher = new TestPublisher(redis)) {
            String last;
            try (SseTestClient first = one.stream("/events/queue")) {
                first.awaitConnected(WAIT);
                publisher.queueUpdate(0);
                last = first.events("queue_update", 1, WAIT).get(0).id();
            }
            for (int seq = 1; seq <= 10; seq++) {
                publisher.queueUpdate(seq);
            }
            try (SseTestClient elsewhere = two.stream("/events/queue", Map.of("Last-Event-ID", last))) {
                publisher.queueUpdate(11);
                assertEquals(range(1, 12), sequences(elsewhere.events("queue_update", 11, WAIT)));
            }
        }
    }

    @Test
    void keysTokensAndRevocationsHoldOnEveryInstance() throws Exception {
        JsonNode created = Events.json(one.post("/auth/api-keys",
                "{\"name\":\"roaming\",\"permissions\":[\"read\"],\"owner\":\"dora\"}").body());
        String key = created.path("key").asText();
        assertEquals(200, Http.get(two.api("/notifications"), key).statusCode(), "created on one, valid on two");
        String token = Events.json(Http.postJson(one.api("/events/token"), "{\"scope\":\"system\"}", key).body())
                .path("token").asText();
        try (SseTestClient stream = SseTestClient.open(two.api("/events/system?token=" + token))) {
            assertEquals(200, stream.status(), "a token issued by one opens a stream on two");
        }
        assertEquals(200, Http.delete(two.api("/auth/api-keys/" + created.path("id").asText()), TestServer.ADMIN_KEY)
                .statusCode());
        assertEquals(401, Http.get(one.api("/notifications"), key).statusCode(), "revoked on two, refused on one");
    }

    @Test
    void eventsHealthReportsEachInstancesOwnStreams() throws Exception {
        try (SseTestClient a = one.stream("/events/queue"); SseTestClient b = one.stream("/events/stats");
             SseTestClient c = two.stream("/events/queue")) {
            for (SseTestClient client : List.of(a, b, c)) {
                client.awaitConnected(WAIT);
            }
            assertEquals(2, Events.json(Http.get(one.api("/events/health")).body()).path("active_connections").asInt());
            assertEquals(1, Events.json(Http.get(two.api("/events/health")).body()).path("active_connections").asInt());
        }
    }
}
