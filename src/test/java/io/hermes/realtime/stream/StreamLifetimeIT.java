package io.hermes.realtime.stream;

import static io.hermes.realtime.testing.Events.sequences;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.SseEvent;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestPublisher;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Heartbeats keep a quiet stream alive; a stream ends cleanly at its lifetime and the client resumes. */
class StreamLifetimeIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void quietStreamStillGetsHeartbeatsAndCommentPings() throws Exception {
        TestRedis.shared().flush();
        try (TestServer server = TestServer.start(Map.of(Settings.HEARTBEAT_INTERVAL, "1"));
             SseTestClient client = server.stream("/events/queue")) {
            client.awaitConnected(WAIT);
            List<SseEvent> beats = client.events("heartbeat", 2, Duration.ofSeconds(5));
            for (SseEvent beat : beats) {
                assertTrue(Events.json(beat.data()).path("timestamp").asText().endsWith("Z"));
            }
            client.next(event -> event.name().equals(":"), Duration.ofSeconds(5));
        }
    }

    @Test
    void streamEndsAtItsLifetimeAndResumesWhereItStopped() throws Exception {
        TestRedis redis = TestRedis.shared();
        redis.flush();
        try (TestServer server = TestServer.start(Map.of(Settings.CONNECTION_TIMEOUT, "5"));
             TestPublisher publisher = new TestPublisher(redis)) {
            String lastId;
            long opened = System.nanoTime();
            try (SseTestClient client = server.stream("/events/queue")) {
                client.awaitConnected(WAIT);
                publisher.queueUpdate(1);
                lastId = client.events("queue_update", 1, WAIT).get(0).id();
                assertTrue(client.awaitEnd(Duration.ofSeconds(10)), "the server ends the stream");
            }
            double lived = (System.nanoTime() - opened) / 1e9;
            assertTrue(lived >= 3.9 && lived <= 7.5, "lifetime 5 s ± 20 %, was " + lived);
            publisher.queueUpdate(2);
            try (SseTestClient resumed = server.stream("/events/queue", Map.of("Last-Event-ID", lastId))) {
                assertEquals(List.of(2), sequences(resumed.events("queue_update", 1, WAIT)));
            }
        }
    }
}
