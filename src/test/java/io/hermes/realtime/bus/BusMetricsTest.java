package io.hermes.realtime.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.json.Json;
import io.hermes.realtime.metrics.Metrics;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisConnectionException;

class BusMetricsTest {
    private final Metrics metrics = new Metrics();
    private final BusMetrics bus = new BusMetrics(metrics);

    /** A sink that remembers what reached it, as the broadcaster would receive it. */
    private static final class RecordingSink implements EventSink {
        final List<BusEvent> delivered = new ArrayList<>();
        final List<String> resyncs = new ArrayList<>();

        @Override
        public void deliver(BusEvent event) {
            delivered.add(event);
        }

        @Override
        public void resync(String reason) {
            resyncs.add(reason);
        }
    }

    private static BusEvent on(Channel channel) {
        return new BusEvent(null, channel, channel.eventType(), "{}", null, null, 0);
    }

    @Test
    void theCountingSinkCountsEachChannelAndPassesEverythingOn() {
        RecordingSink sink = new RecordingSink();
        EventSink counting = bus.counting(sink);
        counting.deliver(on(Channel.QUEUE));
        counting.deliver(on(Channel.QUEUE));
        counting.deliver(on(Channel.SYSTEM));
        counting.resync("gap");

        String text = metrics.scrape();
        assertTrue(text.contains("hermes_bus_events_total{channel=\"queue:updates\"} 2\n"), text);
        assertTrue(text.contains("hermes_bus_events_total{channel=\"system:notifications\"} 1\n"), text);
        assertTrue(text.contains("hermes_bus_events_total{channel=\"download:updates\"} 0\n"), text);
        assertTrue(text.contains("hermes_bus_resyncs_total 1\n"), text);
        assertEquals(3, sink.delivered.size());
        assertEquals(List.of("gap"), sink.resyncs);
    }

    @Test
    void aPublicationThatCannotReachRedisIsCountedAndStillThrown() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // nothing listens there once the socket is closed
        }
        try (JedisPooled unreachable = new JedisPooled(URI.create("redis://127.0.0.1:" + closedPort), 500)) {
            EventPublisher publisher = new EventPublisher(unreachable, new Json(), new EnvelopeCodec(),
                    Clock.systemUTC(), 100, bus.publishFailures(), io.hermes.realtime.redis.ReplicaWait.NONE, bus.unreplicated());
            assertThrows(JedisConnectionException.class, () -> publisher.publish(Channel.QUEUE, Map.of("a", 1)));
            assertThrows(JedisConnectionException.class, () -> publisher.publish(Channel.QUEUE, Map.of("a", 2)));
        }
        assertEquals(2, bus.publishFailures().value());
    }

    @Test
    void theAgeOfNothingIsNotANumber() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:10Z"), ZoneOffset.UTC);
        assertTrue(Double.isNaN(BusMetrics.ageSeconds(null, clock)));
        assertEquals(2.5, BusMetrics.ageSeconds(Instant.parse("2026-11-22T10:00:07.500Z"), clock));
    }
}
