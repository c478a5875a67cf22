package io.hermes.realtime.stream;

import static io.hermes.realtime.testing.Events.range;
import static io.hermes.realtime.testing.Events.sequences;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.bus.EventId;
import io.hermes.realtime.testing.SseEvent;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.Events;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

/** Events published into Redis reach connected browsers: through the publisher, or as plain envelopes. */
class EventDeliveryIT {
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

    @ParameterizedTest(name = "{0} client(s)")
    @ValueSource(ints = {1, 2, 100})
    void publishedEventReachesEveryClientOnceInOrder(int clients) throws Exception {
        List<SseTestClient> streams = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                SseTestClient client = server.stream("/events/stream?channels=queue");
                client.awaitConnected(WAIT);
                streams.add(client);
            }
            for (int seq = 0; seq < 20; seq++) {
                publisher.queueUpdate(seq);
            }
            publisher.queueUpdate(999); // a sentinel: anything repeated would arrive before it
            for (SseTestClient client : streams) {
                List<SseEvent> received = client.events("queue_update", 21, WAIT);
                List<Integer> expected = new ArrayList<>(range(0, 20));
                expected.add(999);
                assertEquals(expected, sequences(received));
                received.forEach(event -> assertNotNull(event.id(), "a published event carries its replay id"));
            }
        } finally {
            for (SseTestClient client : streams) {
                client.close();
            }
        }
    }

    /** A stream holds a small response buffer (4 KiB); bigger frames go out in pieces and must arrive whole. */
    @Test
    void eventsBiggerThanTheStreamsBufferArriveWholeAndInOrder() throws Exception {
        try (SseTestClient client = server.stream("/events/stream?channels=queue")) {
            client.awaitConnected(WAIT);
            String big = "0123456789abcdef".repeat(3 * 1024); // 48 KiB
            publisher.publish(io.hermes.realtime.bus.Channel.QUEUE, Map.of("seq", 1, "padding", big));
            publisher.queueUpdate(2);
            List<SseEvent> received = client.events("queue_update", 2, WAIT);
            assertEquals(big, Events.json(received.get(0).data()).path("padding").asText());
            assertEquals(List.of(1, 2), sequences(received));
        }
    }

    @Test
    void streamOpensWithRetryThenConnected() throws Exception {
        try (SseTestClient client = server.stream("/events/stream")) {
            assertEquals(200, client.status());
            assertTrue(client.header("Content-Type").startsWith("text/event-stream"));
            assertTrue(client.header("Content-Type").toLowerCase().contains("charset=utf-8"));
            assertEquals("no-cache", client.header("Cache-Control"));
            assertEquals("no", client.header("X-Accel-Buffering"));
            assertEquals("close", client.header("Connection"), "the body ends with the connection");
            assertNull(client.header("Transfer-Encoding"), "so it is not chunked");
            assertEquals("nosniff", client.header("X-Content-Type-Options"));
            assertEquals(new SseEvent("retry", null, "3000"), client.next(WAIT));
            SseEvent connected = client.next(WAIT);
            assertEquals("connected", connected.name());
            assertFalse(io.hermes.realtime.testing.Events.json(connected.data()).path("connection_id").asText().isEmpty());
            assertTrue(io.hermes.realtime.testing.Events.json(connected.data()).path("timestamp").asText().endsWith("Z"));
        }
    }

    @Test
    void legacyPlainEnvelopeReachesClientsWithoutAnId() throws Exception {
        try (SseTestClient client = server.stream("/events/queue");
             Jedis jedis = redis.client()) {
            client.awaitConnected(WAIT);
            jedis.publish("queue:updates",
                    "{\"type\":\"queue_update\",\"data\":{\"action\":\"added\",\"download_id\":\"abc\",\"status\":\"queued\"},"
                            + "\"timestamp\":\"2026-11-22T10:00:00.123Z\"}");
            SseEvent event = client.next(e -> e.name().equals("queue_update"), WAIT);
            assertNull(event.id());
            assertEquals("{\"action\":\"added\",\"download_id\":\"abc\",\"status\":\"queued\"}", event.data());
        }
    }

    @Test
    void malformedMessagesAreSkippedAndDeliveryGoesOn() throws Exception {
        try (SseTestClient client = server.stream("/events/queue");
             Jedis jedis = redis.client()) {
            client.awaitConnected(WAIT);
            jedis.publish("queue:updates", "not json at all");
            jedis.publish("queue:updates", "{\"type\":\"queue_update\",\"data\":[1,2]}");
            jedis.publish("queue:updates", "{\"type\":\"queue_update\"}");
            publisher.queueUpdate(7);
            SseEvent event = client.next(e -> !e.name().equals(":") && !e.name().equals("heartbeat"), WAIT);
            assertEquals("queue_update", event.name());
            assertEquals(List.of(7), sequences(List.of(event)));
        }
    }

    @Test
    void crLfInTypeOrIdCannotForgeFramesAndMultiLineDataIsSplit() throws Exception {
        try (SseTestClient client = server.stream("/events/queue");
             Jedis jedis = redis.client()) {
            client.awaitConnected(WAIT);
            jedis.publish("queue:updates", "{\"id\":\"1-1\\r\\nevent: forged\","
                    + "\"type\":\"queue_update\\r\\nevent: forged\\ndata: {\\\"evil\\\":1}\\n\","
                    + "\"data\":{\"download_id\":\"x\",\n\"status\":\"queued\"}}");
            SseEvent event = client.next(e -> !e.name().equals(":") && !e.name().equals("heartbeat"), WAIT);
            assertEquals("queue_updateevent: forgeddata: {\"evil\":1}", event.name(), "CR/LF stripped from the name");
            assertNull(event.id(), "an id with CR/LF is no id at all");
            assertEquals("{\"download_id\":\"x\",\n\"status\":\"queued\"}", event.data(), "every data line arrives");
            String raw = client.rawText();
            assertFalse(raw.contains("\nevent: forged"), raw);
            assertTrue(raw.contains("data: {\"download_id\":\"x\",\ndata: \"status\":\"queued\"}\n\n"), raw);
        }
    }

    @Test
    void downloadStreamCarriesOnlyThatDownload() throws Exception {
        try (Jedis jedis = redis.client()) {
            jedis.hset("hermes:download:wanted", "owner", "admin");
        }
        try (SseTestClient client = server.stream("/events/downloads/wanted")) {
            client.awaitConnected(WAIT);
            publisher.publish(io.hermes.realtime.bus.Channel.DOWNLOAD, Map.of("download_id", "other", "status", "downloading"));
            EventId wanted = publisher.publish(io.hermes.realtime.bus.Channel.DOWNLOAD,
                    Map.of("download_id", "wanted", "status", "downloading"));
            SseEvent event = client.next(e -> e.name().equals("download_progress"), WAIT);
            assertEquals(wanted.toString(), event.id());
        }
    }

    @Test
    void downloadStreamOpensWithTheCurrentProgressSnapshot() throws Exception {
        String snapshot = "{\"download_id\":\"d1\",\"status\":\"downloading\",\"message\":null,"
                + "\"progress\":{\"percentage\":42.5,\"status\":\"downloading\",\"downloaded_bytes\":425,"
                + "\"total_bytes\":1000,\"speed\":100.0,\"eta\":5},\"result\":null}";
        try (Jedis jedis = redis.client()) {
            jedis.setex("download:d1:progress", 3600, snapshot);
            jedis.hset("hermes:download:d1", "owner", "admin");
        }
        try (SseTestClient client = server.stream("/events/downloads/d1/")) {
            client.awaitConnected(WAIT);
            SseEvent first = client.next(WAIT);
            assertEquals("download_progress", first.name());
            assertEquals(snapshot, first.data());
        }
    }
}
