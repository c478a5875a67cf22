package io.hermes.realtime.bus;

import static io.hermes.realtime.testing.Events.range;
import static io.hermes.realtime.testing.Events.sequences;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.SseEvent;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestPublisher;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Redis restarts without persistence, so the replay stream and every id in it are gone. Nobody may go on
 * as if nothing was lost: open streams receive {@code resync} from the subscriber, whose last delivered id
 * no longer exists, and a client resuming with a vanished id receives {@code resync} from its handshake.
 * Neither is left in silence, and what follows is only the new stream's live events.
 */
class RedisRestartIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Set<String> PREAMBLE = Set.of("retry", "connected", ":", "heartbeat");

    @Test
    void afterRedisLosesItsDataOpenAndResumingStreamsAreToldToResync() throws Exception {
        TestRedis redis = TestRedis.startEmbedded(); // no persistence: a restart empties it
        try (TestServer server = TestServer.start(redis, Map.of(Settings.HEARTBEAT_INTERVAL, "1",
                Settings.WORKER_ENABLED, "false"));
             SseTestClient open = server.stream("/events/queue")) {
            open.awaitConnected(WAIT);
            String lastSeen;
            try (SseTestClient leaving = server.stream("/events/queue");
                 TestPublisher publisher = new TestPublisher(redis)) {
                leaving.awaitConnected(WAIT);
                for (int seq = 0; seq < 5; seq++) {
                    publisher.queueUpdate(seq);
                }
                lastSeen = leaving.events("queue_update", 5, WAIT).get(4).id();
                assertEquals(range(0, 5), sequences(open.events("queue_update", 5, WAIT)));
            }

            redis.stop();
            open.drainReceived();
            open.events("heartbeat", 2, WAIT); // down long enough for the subscriber's backoff to grow a little
            redis.start();
            try (TestPublisher producer = new TestPublisher(redis); Jedis admin = redis.client()) {
                // Another producer reaches the empty Redis first. Its event is in the new stream, but
                // nothing links it to what clients saw before: it is covered by the resync, not replayed.
                boolean subscribedBefore = subscribed(admin);
                producer.queueUpdate(50);
                boolean subscribedAfter = subscribed(admin);

                SseEvent resync = open.next(event -> !PREAMBLE.contains(event.name()), WAIT);
                assertEquals("resync", resync.name(), "the open stream is told, not left silent: " + resync);
                assertTrue(Events.json(resync.data()).path("reason").asText().contains("lost"), resync.data());
                awaitSubscriber(admin);
                for (int seq = 51; seq < 56; seq++) {
                    producer.queueUpdate(seq);
                }
                producer.queueUpdate(99); // the last one: everything delivered after the resync arrives before it
                List<Integer> after = new ArrayList<>();
                do {
                    after.addAll(sequences(open.events("queue_update", 1, WAIT)));
                } while (after.get(after.size() - 1) != 99);
                if (subscribedBefore || subscribedAfter) {
                    // The subscriber may have been back before the event was appended; then it came live.
                    after.remove(Integer.valueOf(50));
                }
                assertEquals(List.of(51, 52, 53, 54, 55, 99), after, "only live events after the resync, nothing twice");

                try (SseTestClient resuming = server.stream("/events/queue", Map.of("Last-Event-ID", lastSeen))) {
                    SseEvent first = resuming.next(event -> !PREAMBLE.contains(event.name()), WAIT);
                    assertEquals("resync", first.name(), "a vanished id gets a resync, not silence: " + first);
                    producer.queueUpdate(60);
                    assertEquals(List.of(60), sequences(resuming.events("queue_update", 1, WAIT)));
                }
                System.out.printf("RedisRestartIT: subscriber back before the first new event: %s%n", subscribedBefore);
            }
        } finally {
            redis.stop();
        }
    }

    private static boolean subscribed(Jedis admin) {
        return admin.clientList().contains("flags=P");
    }

    private static void awaitSubscriber(Jedis admin) throws InterruptedException {
        Await.until(WAIT, () -> subscribed(admin), "the subscriber reconnects");
    }
}
