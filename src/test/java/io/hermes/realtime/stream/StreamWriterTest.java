package io.hermes.realtime.stream;

import static io.hermes.realtime.stream.StreamFixture.frame;
import static io.hermes.realtime.stream.StreamFixture.wireOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.hermes.realtime.bus.BusEvent;
import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.bus.EventId;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * How frames reach the socket: one writer, in order, never on the offering thread, pausing while the socket is
 * not ready. The output is a {@link FakeServletOutput}; the writer threads run by hand, so every interleaving
 * is explicit.
 */
class StreamWriterTest {
    private final StreamFixture stream = new StreamFixture();
    private final FakeServletOutput out = stream.out;
    private final SseConnection connection = stream.plain(10);

    @Test
    void framesOfferedBeforeGoLiveWaitAndAreThenWrittenInOrder() {
        SseFrame a = frame("a"), b = frame("b"), c = frame("c");
        connection.offer(a);
        connection.offer(b);
        connection.offer(c);
        stream.writers.runAll();
        assertEquals("", out.written());

        connection.goLive(null);
        assertEquals("", out.written(), "the first drain waits for the container's onWritePossible");
        out.writePossible();

        assertEquals(wireOf(a, b, c), out.written());
        assertEquals(1, out.flushes());
    }

    @Test
    void framesTheReplayAlreadySentAreDropped() {
        SseFrame heartbeat = frame("hb");
        connection.offer(frame(1));
        connection.offer(frame(2));
        connection.offer(heartbeat);
        connection.offer(frame(3));

        stream.goLive(connection, new EventId(2, 0));

        assertEquals(wireOf(heartbeat, frame(3)), out.written());
    }

    @Test
    void offersAfterGoLiveShareOneDrainOnTheWriterPool() {
        stream.goLive(connection, null);
        connection.offer(frame("x"));
        connection.offer(frame("y"));
        assertEquals(1, stream.writers.pending());
        assertEquals("", out.written(), "offering never writes on the caller's thread");

        stream.writers.runAll();

        assertEquals(wireOf(frame("x"), frame("y")), out.written());
    }

    @Test
    void aSocketThatIsNotReadyPausesTheWriterUntilWritePossibleWithoutLosingOrReordering() {
        out.stallAfter(frame("b").bytes());
        for (String data : new String[] {"a", "b", "c", "d"}) {
            connection.offer(frame(data));
        }

        stream.goLive(connection, null);
        assertEquals(wireOf(frame("a"), frame("b")), out.written());

        connection.offer(frame("e"));
        assertEquals(0, stream.writers.pending(), "the stalled writer keeps ownership; no second drain starts");

        out.stallAfter(null);
        out.writePossible();

        assertEquals(wireOf(frame("a"), frame("b"), frame("c"), frame("d"), frame("e")), out.written());
    }

    @Test
    void aFailedWriteClosesTheConnection() {
        out.failWrites(new IOException("broken pipe"));
        connection.offer(frame("a"));
        connection.offer(frame("b"));

        stream.goLive(connection, null);
        stream.writers.runAll();

        assertTrue(connection.isClosed());
        assertTrue(connection.closeReason().startsWith("write failed"), connection.closeReason());
        assertEquals(1, stream.closeCallbacks.get());
        verify(stream.async, times(1)).complete();
        assertEquals(1, out.writes());
    }

    @Test
    void eachEventWrittenLiveIsCountedWithItsBytesAndItsLatencySincePublication() {
        SseFrame event = SseFrame.of(new BusEvent(new EventId(5, 0), Channel.QUEUE, "queue_update", "{}", null, null,
                StreamFixture.NOW.toEpochMilli() - 20));
        SseFrame heartbeat = frame("hb");
        connection.offer(event);
        connection.offer(heartbeat);

        stream.goLive(connection, null);

        assertEquals(1, stream.sample("hermes_sse_events_delivered_total"), "control frames are not events");
        assertEquals(event.bytes().length + heartbeat.bytes().length, stream.sample("hermes_sse_written_bytes_total"));
        assertEquals(0, stream.sample("hermes_sse_delivery_latency_seconds_bucket{le=\"0.01\"}"));
        assertEquals(1, stream.sample("hermes_sse_delivery_latency_seconds_bucket{le=\"0.025\"}"), "20 ms");
        assertEquals(1, stream.sample("hermes_sse_delivery_latency_seconds_count"));
        assertEquals(0.02, stream.sample("hermes_sse_delivery_latency_seconds_sum"), 1e-9);
    }

    @Test
    void anEventWithoutAPublishTimeIsDeliveredButNotTimed() {
        connection.offer(frame(7));
        stream.goLive(connection, null);
        assertEquals(1, stream.sample("hermes_sse_events_delivered_total"));
        assertEquals(0, stream.sample("hermes_sse_delivery_latency_seconds_count"));
    }

    @Test
    void handshakeWritesCountBytesButNotDeliveredEvents() throws IOException {
        connection.writeBlocking(frame(1));
        assertEquals(frame(1).bytes().length, stream.sample("hermes_sse_written_bytes_total"));
        assertEquals(0, stream.sample("hermes_sse_events_delivered_total"));
    }
}
