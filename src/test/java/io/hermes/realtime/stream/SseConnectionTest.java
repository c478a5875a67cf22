package io.hermes.realtime.stream;

import static io.hermes.realtime.stream.StreamFixture.frame;
import static io.hermes.realtime.stream.StreamFixture.wireOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * How a stream ends: cut off when its queue overflows or its client stops reading, ended after its queue,
 * closed now, and by every path exactly once. The output is a {@link FakeServletOutput}; the writer threads
 * run by hand, so every interleaving is explicit.
 */
class SseConnectionTest {
    private final StreamFixture stream = new StreamFixture();
    private final FakeServletOutput out = stream.out;
    private SseConnection connection = stream.plain(10);

    @Test
    void overflowingTheQueueClosesTheConnectionOnce() {
        connection = stream.plain(2);
        stream.goLive(connection, null);
        out.setReady(false);
        connection.offer(frame("a"));
        stream.writers.runAll(); // the drain finds the socket not ready, so frames pile up
        connection.offer(frame("b"));
        assertFalse(connection.isClosed(), "two frames fit a buffer of two");
        connection.offer(frame("c"));

        assertTrue(connection.isClosed());
        assertTrue(connection.closeReason().contains("overflowed"), connection.closeReason());
        stream.writers.runAll();
        out.writePossible();
        stream.writers.runAll();

        assertEquals(1, stream.closeCallbacks.get());
        verify(stream.async, times(1)).complete();
        assertEquals("", out.written());
    }

    @Test
    void overflowBeforeGoLiveCompletesTheResponseOnlyWhenTheHandshakeHandsItOver() {
        connection = stream.plain(1);
        connection.offer(frame("a"));
        connection.offer(frame("b"));
        stream.writers.runAll();

        assertTrue(connection.isClosed());
        assertEquals(1, stream.closeCallbacks.get());
        verify(stream.async, never()).complete();

        connection.goLive(null);
        stream.writers.runAll();
        verify(stream.async, times(1)).complete();
        assertNull(out.listener(), "a stream closed before it went live never listens for writes");
    }

    @Test
    void closeIsIdempotentWhicheverPathsCallIt() {
        stream.goLive(connection, null);
        CompletableFuture<Void> deadline = new CompletableFuture<>();
        connection.setDeadline(deadline);

        connection.close("token expired");
        connection.close("shutdown");
        connection.onTimeout(null);
        out.listener().onError(new IOException("reset"));
        stream.writers.runAll();
        connection.onComplete(null);

        assertEquals("token expired", connection.closeReason());
        assertEquals(1, stream.closeCallbacks.get());
        verify(stream.async, times(1)).complete();
        assertTrue(deadline.isCancelled());
    }

    @Test
    void framesOfferedAfterCloseAreNeverWritten() {
        stream.goLive(connection, null);
        connection.close("gone");
        connection.offer(frame("late"));
        connection.end(frame("bye"));
        stream.writers.runAll();
        assertEquals("", out.written());
    }

    @Test
    void endWritesEverythingQueuedAndTheLastFrameThenCompletes() {
        stream.goLive(connection, null);
        SseFrame last = frame("bye");
        connection.offer(frame("a"));
        connection.end(last);
        stream.writers.runAll();

        assertEquals(wireOf(frame("a"), last), out.written());
        assertEquals(2, out.writes(), "one write per frame");
        assertEquals(wireOf(frame("a"), last), stream.writtenAtCompletion(), "the last frame went out before the end");
        verify(stream.async, times(1)).complete();
        assertEquals("ended by server", connection.closeReason());
        assertEquals(1, stream.closeCallbacks.get());
    }

    @Test
    void aWriterPoolThatRefusesWorkClosesTheConnectionAndStillCompletes() {
        stream.goLive(connection, null);
        stream.writers.rejectFromNow();

        connection.offer(frame("a"));

        assertEquals("server shutting down", connection.closeReason());
        assertEquals(1, stream.closeCallbacks.get());
        verify(stream.async, times(1)).complete();
    }

    @Test
    void aDeadlineSetAfterCloseIsCancelledAtOnce() {
        connection.close("gone");
        CompletableFuture<Void> deadline = new CompletableFuture<>();
        connection.setDeadline(deadline);
        assertTrue(deadline.isCancelled());
    }

    @Test
    void aSlowClientIsCountedOnceHoweverManyFramesOverflow() {
        connection = stream.plain(1);
        for (int i = 0; i < 5; i++) {
            connection.offer(frame("x" + i));
        }
        connection.close("shutdown");
        assertEquals(1, stream.sample("hermes_sse_slow_clients_cut_total"));
    }

    @Test
    void aClientThatTakesNothingForAWholeHeartbeatIntervalWhileAWriteWaitsIsClosed() {
        out.stallAfter(frame("a").bytes());
        connection.offer(frame("a"));
        connection.offer(frame("b"));
        stream.goLive(connection, null);
        assertEquals(wireOf(frame("a")), out.written(), "the socket filled up after the first frame");

        connection.closeIfStalled();
        assertFalse(connection.isClosed(), "one heartbeat with a waiting write is not yet proof");
        connection.closeIfStalled();

        assertTrue(connection.isClosed());
        assertTrue(connection.closeReason().contains("stopped reading"), connection.closeReason());
        stream.writers.runAll();
        assertEquals(1, stream.closeCallbacks.get());
        verify(stream.async, times(1)).complete();
    }

    @Test
    void aClientThatReadsSlowlyIsKeptAsLongAsTheSocketTakesSomethingEachInterval() {
        out.stallAfter(frame("a").bytes());
        for (String data : new String[] {"a", "b", "c"}) {
            connection.offer(frame(data));
        }
        stream.goLive(connection, null);
        connection.closeIfStalled();

        out.stallAfter(frame("b").bytes()); // the client read a little: one more frame fits, then it is full again
        out.writePossible();
        connection.closeIfStalled();
        assertFalse(connection.isClosed(), "progress since the last heartbeat");

        connection.closeIfStalled();
        assertTrue(connection.isClosed(), "no progress for a whole interval");
    }

    @Test
    void anIdleStreamWithNothingWaitingIsNeverClosedByTheStallCheck() {
        stream.goLive(connection, null);
        connection.offer(frame("a"));
        stream.writers.runAll();
        for (int beat = 0; beat < 5; beat++) {
            connection.closeIfStalled();
        }
        assertFalse(connection.isClosed());
    }
}
