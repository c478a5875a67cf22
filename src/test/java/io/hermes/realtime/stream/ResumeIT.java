package io.hermes.realtime.stream;

import static io.hermes.realtime.testing.Events.range;
import static io.hermes.realtime.testing.Events.sequences;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.app.Settings;
import io.hermes.realtime.bus.EventId;
import io.hermes.realtime.testing.SseEvent;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestPublisher;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A client that reconnects with Last-Event-ID gets exactly what it missed, or a resync. */
class ResumeIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int SMALL_WINDOW = 50;

    private final TestRedis redis = TestRedis.shared();
    private TestServer server;
    private TestPublisher publisher;

    @BeforeEach
    void start() throws Exception {
        redis.flush();
        start(10_000);
    }

    private void start(int replaySize) throws Exception {
        if (server != null) {
            publisher.close();
            server.close();
        }
        // A client buffer far above what these tests publish: on a starved machine a stream whose writer
        // is slow to get a core must not be cut off as a slow client, which would be a different test.
        server = TestServer.start(Map.of(Settings.REPLAY_SIZE, Integer.toString(replaySize),
                Settings.CLIENT_BUFFER, "50000"));
        publisher = new TestPublisher(redis, replaySize);
    }

    @AfterEach
    void stop() throws Exception {
        publisher.close();
        server.close();
    }

    private SseTestClient connect(String query, Map<String, String> headers) throws Exception {
        SseTestClient client = server.stream("/events/stream" + query, headers);
        client.awaitConnected(WAIT);
        return client;
    }

    @Test
    void clientThatMissedEventsReceivesExactlyThoseOnResume() throws Exception {
        String lastSeen;
        try (SseTestClient first = connect("?channels=queue", Map.of())) {
            for (int seq = 0; seq < 3; seq++) {
                publisher.queueUpdate(seq);
            }
            List<SseEvent> seen = first.events("queue_update", 3, WAIT);
            lastSeen = seen.get(2).id();
        }
        for (int seq = 3; seq < 8; seq++) {
            publisher.queueUpdate(seq);
        }
        try (SseTestClient resumed = connect("?channels=queue", Map.of("Last-Event-ID", lastSeen))) {
            publisher.queueUpdate(8);
            assertEquals(range(3, 9), sequences(resumed.events("queue_update", 6, WAIT)));
            publisher.queueUpdate(9);
            assertEquals(List.of(9), sequences(resumed.events("queue_update", 1, WAIT)), "nothing repeated");
        }
    }

    @Test
    void resumeAlsoWorksWithTheQueryParameterAndOnlyForSubscribedChannels() throws Exception {
        EventId before = publisher.queueUpdate(0);
        publisher.publish(io.hermes.realtime.bus.Channel.STATS, Map.of("event", "download_completed", "seq", 100));
        publisher.queueUpdate(1);
        try (SseTestClient resumed = connect("?channels=queue&last_event_id=" + before, Map.of())) {
            publisher.queueUpdate(2);
            List<SseEvent> events = new ArrayList<>();
            while (events.size() < 2) {
                SseEvent event = resumed.next(e -> e.id() != null, WAIT);
                events.add(event);
            }
            assertEquals(List.of(1, 2), sequences(events));
        }
    }

    @Test
    void idOlderThanTheRetainedWindowGetsResync() throws Exception {
        start(SMALL_WINDOW);
        EventId oldest = publisher.queueUpdate(0);
        // MAXLEN ~ trims whole stream nodes (100 entries each), so go well past the window.
        for (int seq = 1; seq < 400; seq++) {
            publisher.queueUpdate(seq);
        }
        try (SseTestClient resumed = connect("?channels=queue", Map.of("Last-Event-ID", oldest.toString()))) {
            SseEvent event = resumed.next(e -> !e.name().equals(":"), WAIT);
            assertEquals("resync", event.name());
            assertTrue(io.hermes.realtime.testing.Events.json(event.data()).path("reason").isTextual());
            publisher.queueUpdate(1000);
            assertEquals(List.of(1000), sequences(resumed.events("queue_update", 1, WAIT)), "then the live tail");
        }
    }

    @Test
    void unknownOrMalformedIdGetsResync() throws Exception {
        for (String id : List.of("not-an-id", "999999999999999-0")) {
            try (SseTestClient resumed = connect("?channels=queue", Map.of("Last-Event-ID", id))) {
                assertEquals("resync", resumed.next(e -> !e.name().equals(":"), WAIT).name(), id);
            }
        }
    }

    @Test
    void resumingUnderContinuousPublishingLosesAndRepeatsNothing() throws Exception {
        AtomicBoolean publishing = new AtomicBoolean(true);
        AtomicInteger published = new AtomicInteger();
        Thread producer = new Thread(() -> {
            while (publishing.get()) {
                publisher.queueUpdate(published.getAndIncrement());
                LockSupport.parkNanos(200_000); // continuous, at a rate a real producer keeps (≤ 5000/s)
            }
        });
        List<Integer> received = new ArrayList<>();
        String lastId;
        try (SseTestClient first = connect("?channels=queue", Map.of())) {
            producer.start();
            List<SseEvent> events = first.events("queue_update", 200, WAIT);
            assertTrue(first.drainReceived().stream().noneMatch(e -> e.name().equals("resync")));
            received.addAll(sequences(events));
            lastId = events.get(events.size() - 1).id();
        }
        for (int round = 0; round < 3; round++) {
            try (SseTestClient again = connect("?channels=queue", Map.of("Last-Event-ID", lastId))) {
                List<SseEvent> events = again.events("queue_update", 200, WAIT);
                received.addAll(sequences(events));
                lastId = events.get(events.size() - 1).id();
            }
        }
        publishing.set(false);
        producer.join();
        int first = received.get(0);
        List<Integer> contiguous = range(first, first + received.size());
        assertTrue(contiguous.equals(received), "contiguous, no gap and no repeat; first difference at index "
                + java.util.stream.IntStream.range(0, received.size()).filter(i -> !contiguous.get(i).equals(received.get(i)))
                        .findFirst().orElse(-1));
    }
}
