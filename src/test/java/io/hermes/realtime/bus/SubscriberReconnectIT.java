package io.hermes.realtime.bus;

import static io.hermes.realtime.testing.Events.range;
import static io.hermes.realtime.testing.Events.sequences;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestPublisher;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/** The subscriber thread survives losing its Redis connection and delivers what was published meanwhile. */
class SubscriberReconnectIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final TestRedis redis = TestRedis.shared();
    private TestServer server;
    private TestPublisher publisher;

    @BeforeEach
    void start() throws Exception {
        redis.flush();
        server = TestServer.start(Map.of());
        publisher = new TestPublisher(redis);
    }

    @AfterEach
    void stop() throws Exception {
        publisher.close();
        server.close();
    }

    /** Waits, with a deadline, until the server's pub/sub connection is back. */
    private static void awaitSubscriber(Jedis admin) throws InterruptedException {
        Await.until(WAIT, () -> admin.clientList().contains("flags=P"), "the subscriber reconnects");
    }

    @Test
    void eventsPublishedWhileTheSubscriptionWasKilledStillArriveOnce() throws Exception {
        try (SseTestClient client = server.stream("/events/queue");
             Jedis admin = redis.client()) {
            client.awaitConnected(WAIT);
            publisher.queueUpdate(0);
            assertEquals(List.of(0), sequences(client.events("queue_update", 1, WAIT)));

            List<Integer> expected = new ArrayList<>();
            for (int kill = 0; kill < 3; kill++) {
                awaitSubscriber(admin);
                long killed = admin.clientKill(new ClientKillParams().type(ClientType.PUBSUB));
                assertTrue(killed >= 1, "a pub/sub connection was killed");
                int base = 1 + kill * 10;
                for (int seq = base; seq < base + 10; seq++) {
                    publisher.queueUpdate(seq);
                }
                expected.addAll(range(base, base + 10));
            }
            awaitSubscriber(admin);
            publisher.queueUpdate(999);
            expected.add(999);
            assertEquals(expected, sequences(client.events("queue_update", expected.size(), WAIT)));
        }
    }
}
