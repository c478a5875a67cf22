package io.hermes.realtime.stream;

import static io.hermes.realtime.testing.Events.range;
import static io.hermes.realtime.testing.Events.sequences;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.app.Settings;
import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.testing.RawStream;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestPublisher;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that disappear without a goodbye are noticed through the heartbeat, within two intervals, and
 * their streams reclaimed. The heartbeat is 1 s here; the client buffer is large (5000 frames), so no
 * stream in these tests is ever cut for overflowing it.
 */
class ClientLossIT {
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    /** Two intervals, plus room for a busy two-core machine to schedule the clock and the writers. */
    private static final Duration DETECTION_LIMIT = HEARTBEAT.multipliedBy(2).plusMillis(700);
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** 200 events of 40 kB: 8 MB, far beyond what the kernel buffers of a 4 kB-window socket hold. */
    private static final int BURST = 200;
    private static final String PADDING = "x".repeat(40_000);

    private final TestRedis redis = TestRedis.shared();
    private TestServer server;
    private TestPublisher publisher;

    @BeforeEach
    void start() throws Exception {
        redis.flush();
        server = TestServer.start(Map.of(Settings.HEARTBEAT_INTERVAL, "1", Settings.CLIENT_BUFFER, "5000",
                Settings.WORKER_ENABLED, "false"));
        publisher = new TestPublisher(redis);
    }

    @AfterEach
    void stop() throws Exception {
        publisher.close();
        server.close();
    }

    private void burst() {
        for (int seq = 0; seq < BURST; seq++) {
            publisher.publish(Channel.QUEUE, Map.of("seq", seq, "padding", PADDING));
        }
    }

    @Test
    void clientThatResetsWhileIdleIsReclaimedByTheNextHeartbeat() throws Exception {
        RawStream client = RawStream.open(server.port(), "/events/queue", 0);
        server.awaitActiveStreams(1, WAIT);

        long reset = System.nanoTime();
        client.reset();
        server.awaitActiveStreams(0, WAIT);
        Duration reclaimed = Duration.ofNanos(System.nanoTime() - reset);

        System.out.printf("ClientLossIT: idle stream reset by its client reclaimed after %d ms%n", reclaimed.toMillis());
        assertTrue(reclaimed.compareTo(DETECTION_LIMIT) <= 0, "reclaimed after " + reclaimed);
    }

    @Test
    void clientThatResetsWhileAWriteToItIsPendingIsReclaimedAtOnce() throws Exception {
        RawStream client = RawStream.open(server.port(), "/events/queue", 4096);
        server.awaitActiveStreams(1, WAIT);
        burst(); // the client reads none of it: a write to it is now pending

        long reset = System.nanoTime();
        client.reset();
        server.awaitActiveStreams(0, WAIT);
        Duration reclaimed = Duration.ofNanos(System.nanoTime() - reset);

        System.out.printf("ClientLossIT: stream reset mid-write reclaimed after %d ms%n", reclaimed.toMillis());
        assertTrue(reclaimed.compareTo(DETECTION_LIMIT) <= 0, "reclaimed after " + reclaimed);
    }

    /**
     * A client that vanished without FIN or RST (power loss, a dropped network) looks, from the server,
     * exactly like one that stopped reading: writes are accepted until the buffers are full, then one
     * waits forever. The raw socket here stops reading and never closes, which is the same to the server.
     */
    @Test
    void clientThatStopsReadingWithoutClosingIsReclaimedWithinTwoHeartbeatsWhileOthersKeepReceiving() throws Exception {
        try (SseTestClient healthy = server.stream("/events/queue");
             RawStream vanished = RawStream.open(server.port(), "/events/queue", 4096)) {
            healthy.awaitConnected(WAIT);
            server.awaitActiveStreams(2, WAIT);
            int socketsBefore = server.openSockets();

            long burstStarted = System.nanoTime();
            burst();
            server.awaitActiveStreams(1, WAIT);
            Duration reclaimed = Duration.ofNanos(System.nanoTime() - burstStarted);

            assertEquals(range(0, BURST), sequences(healthy.events("queue_update", BURST, WAIT)));
            System.out.printf("ClientLossIT: stream of a client that stopped reading reclaimed %d ms after the"
                    + " burst began (heartbeat %d ms)%n", reclaimed.toMillis(), HEARTBEAT.toMillis());
            assertTrue(reclaimed.compareTo(DETECTION_LIMIT) <= 0, "reclaimed after " + reclaimed);

            healthy.drainReceived();
            healthy.events("heartbeat", 3, WAIT);
            assertFalse(healthy.hasEnded(), "a client that reads is never taken for a dead one");
            assertEquals(1, server.activeStreams());
            // The container closes the socket too once the response is completed (Jetty 12 does so at once).
            System.out.printf("ClientLossIT: container sockets %d while the stalled stream was open, %d now%n",
                    socketsBefore, server.openSockets());
        }
    }
}
