package io.hermes.realtime.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.metrics.Metrics;
import jakarta.servlet.AsyncContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The clock serves heartbeats and pings one slice of the streams per tick: a full rotation must reach
 * every stream exactly once, and no slice may carry much more than its share. The streams write to
 * {@link FakeServletOutput}s and their writers never run, so what each stream was offered stays in its
 * queue to be counted.
 */
class ClockSlicesTest {
    private static final int STREAMS = 1600;

    private final ConnectionRegistry registry = new ConnectionRegistry(STREAMS);
    private final StreamMetrics metrics = new StreamMetrics(new Metrics(), registry, new CompressionSlots(0),
            Clock.systemUTC());
    private final List<SseConnection> connections = new ArrayList<>();

    ClockSlicesTest() {
        for (int i = 0; i < STREAMS; i++) {
            SseConnection connection = new SseConnection(UUID.randomUUID().toString(), "queue",
                    Subscription.of(Channel.QUEUE), mock(AsyncContext.class),
                    new FrameOutput.Plain(new FakeServletOutput()),
                    new SseConnection.Options(10, 0, task -> { }, null, metrics, closed -> { }));
            assertTrue(registry.tryReserve());
            registry.add(connection, null);
            connections.add(connection);
        }
    }

    @Test
    void oneRotationOffersEveryStreamThePingExactlyOnce() {
        for (int slice = 0; slice < StreamClock.SLICES; slice++) {
            registry.broadcastToSlice(ControlFrames.PING, slice, StreamClock.SLICES);
        }

        for (SseConnection connection : connections) {
            assertEquals(1, connection.queuedFrames(), () -> "stream " + connection.id());
        }
    }

    @Test
    void slicesAreEvenEnoughThatNoTickCarriesABurst() {
        int[] sizes = new int[StreamClock.SLICES];
        for (SseConnection connection : connections) {
            sizes[ConnectionRegistry.sliceOf(connection, StreamClock.SLICES)]++;
        }

        int share = STREAMS / StreamClock.SLICES;
        for (int slice = 0; slice < sizes.length; slice++) {
            int size = sizes[slice];
            assertTrue(size > share / 2 && size < share * 2, "slice " + slice + " has " + size + " of " + STREAMS);
        }
    }
}
