package io.hermes.realtime.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;

/**
 * After a failover to a master whose clock is behind the old one's, new ids must still sort after the ids
 * clients hold. A real Redis plays both masters: an event appended with an id an hour ahead (the old
 * master's clock) is delivered, then removed (the new master never had it), and the subscriber is made to
 * reconnect.
 */
class ReplayFenceIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Set<String> PREAMBLE = Set.of("retry", "connected", ":", "heartbeat");
    private final TestRedis redis = TestRedis.shared();

    @BeforeEach
    void clean() {
        redis.flush();
    }

    @Test
    void theFenceMovesTheStreamsLastIdOnlyForward() {
        try (TestPublisher publisher = new TestPublisher(redis); Jedis admin = redis.client();
             JedisPooled pool = new JedisPooled(redis.url())) {
            ReplayLog log = new ReplayLog(pool, new EnvelopeCodec());
            EventId ahead = new EventId(System.currentTimeMillis() + 3_600_000, 7);
            assertTrue(log.fence(ahead), "a missing stream is created, empty, with that last id");
            assertEquals(0, admin.xlen(EventPublisher.REPLAY_STREAM));
            EventId next = publisher.queueUpdate(1);
            assertTrue(next.isAfter(ahead), next + " sorts after " + ahead);
            assertFalse(log.fence(ahead), "an id already behind the stream's moves nothing");
            EventId further = new EventId(next.millis() + 1000, 0);
            assertTrue(log.fence(further));
            assertTrue(publisher.queueUpdate(2).isAfter(further));
        }
    }

    @Test
    void aSubscriberWhoseLastEventTheNewMasterLacksSendsResyncAndNewIdsSortAfterIt() throws Exception {
        try (TestServer server = TestServer.start(redis, Map.of(Settings.WORKER_ENABLED, "false"));
             TestPublisher publisher = new TestPublisher(redis);
             Jedis admin = redis.client();
             SseTestClient stream = server.stream("/events/queue")) {
            stream.awaitConnected(WAIT);
            publisher.queueUpdate(0); // kept: the lost event lies within what the stream holds
            // The old master, its clock an hour ahead, appended and published an event…
            StreamEntryID ahead = new StreamEntryID(System.currentTimeMillis() + 3_600_000, 0);
            String envelope = "{\"type\":\"queue_update\",\"data\":{\"seq\":1},\"timestamp\":\"2026-11-22T10:00:00.000Z\"}";
            admin.xadd(EventPublisher.REPLAY_STREAM, XAddParams.xAddParams().id(ahead),
                    Map.of("channel", "queue:updates", "envelope", envelope));
            admin.publish("queue:updates", "{\"id\":\"" + ahead + "\"," + envelope.substring(1));
            SseEvent seen = stream.events("queue_update", 2, WAIT).get(1);
            assertEquals(ahead.toString(), seen.id());
            // …and died before its replica had it; the subscription breaks with it.
            admin.xdel(EventPublisher.REPLAY_STREAM, ahead);
            admin.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
            SseEvent resync = stream.next(event -> !PREAMBLE.contains(event.name()), WAIT);
            assertEquals("resync", resync.name(), "the lost event is not passed over in silence: " + resync);
            Await.until(WAIT, () -> admin.clientList().contains("flags=P"), "the subscriber is back");
            EventId next = publisher.queueUpdate(2);
            assertTrue(next.isAfter(EventId.parse(ahead.toString()).orElseThrow()), "new ids sort after the lost one: " + next);
            SseEvent after = stream.next(event -> !PREAMBLE.contains(event.name()), WAIT);
            assertEquals(2, Events.json(after.data()).path("seq").asInt(), after.toString());
            assertEquals(next.toString(), after.id());
        }
    }
}
