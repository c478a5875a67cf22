package io.hermes.realtime.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.hermes.realtime.bus.BusEvent;
import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.bus.EventId;
import io.hermes.realtime.metrics.Metrics;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * The socket side is mocked (a container's output stream that fills up or fails mid-write is hard to
 * provoke); the writer pool is a queue of tasks the test runs by hand, so every interleaving is explicit.
 */
class SseConnectionTest {
    private final AsyncContext async = mock(AsyncContext.class);
    private final ServletOutputStream out = mock(ServletOutputStream.class);
    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private final AtomicBoolean socketReady = new AtomicBoolean(true);
    private final HandRunExecutor writers = new HandRunExecutor();
    private final AtomicInteger closeCallbacks = new AtomicInteger();
    /** When set, the socket reports not ready right after these bytes are written, as a full buffer would. */
    private byte[] stallAfter;
    private SseConnection connection;
    private final Metrics metrics = new Metrics();
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00.500Z");
    private final StreamMetrics streamMetrics = new StreamMetrics(metrics, new ConnectionRegistry(10),
            new CompressionSlots(0), Clock.fixed(NOW, ZoneOffset.UTC));

    /** Runs queued drains only when the test says so; can be told to refuse work like a pool shutting down. */
    private static final class HandRunExecutor implements Executor {
        private final Queue<Runnable> tasks = new ArrayDeque<>();
        private boolean rejecting;

        @Override
        public void execute(Runnable task) {
            if (rejecting) {
                throw new RejectedExecutionException("shut down");
            }
            tasks.add(task);
        }

        void runAll() {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
            }
        }
    }

    @BeforeEach
    void openConnection() throws IOException {
        when(out.isReady()).thenAnswer(call -> socketReady.get());
        doAnswer(call -> {
            byte[] bytes = call.getArgument(0);
            wire.write(bytes);
            if (Arrays.equals(bytes, stallAfter)) {
                socketReady.set(false);
            }
            return null;
        }).when(out).write(any(byte[].class));
        connection = connectionWithCapacity(10);
    }

    private SseConnection connectionWithCapacity(int capacity) {
        return new SseConnection("c1", "queue", Subscription.of(Channel.QUEUE), async, out, capacity, writers,
                closed -> closeCallbacks.incrementAndGet(), streamMetrics);
    }

    private static SseFrame frame(String data) {
        return SseFrame.control("e", data);
    }

    private static SseFrame frame(long millis) {
        return SseFrame.event(new EventId(millis, 0), "queue_update", "#" + millis, Channel.QUEUE, null, null);
    }

    /** The value of one sample line of the scrape, such as {@code hermes_sse_events_delivered_total}. */
    private double sample(String series) {
        for (String line : metrics.scrape().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        throw new AssertionError("no sample " + series + " in\n" + metrics.scrape());
    }

    private String written() {
        return wire.toString(StandardCharsets.UTF_8);
    }

    private static String wireOf(SseFrame... frames) {
        StringBuilder text = new StringBuilder();
        for (SseFrame frame : frames) {
            text.append(frame);
        }
        return text.toString();
    }

    private void goLiveAndLetTheContainerStartWriting(EventId replayedUpTo) {
        connection.goLive(replayedUpTo);
        verify(out).setWriteListener(connection);
        connection.onWritePossible();
    }

    @Test
    void framesOfferedBeforeGoLiveWaitAndAreThenWrittenInOrder() throws IOException {
        SseFrame a = frame("a"), b = frame("b"), c = frame("c");
        connection.offer(a);
        connection.offer(b);
        connection.offer(c);
        writers.runAll();
        assertEquals("", written());

        connection.goLive(null);
        assertEquals("", written(), "the first drain waits for the container's onWritePossible");
        connection.onWritePossible();

        assertEquals(wireOf(a, b, c), written());
        verify(out).flush();
    }

    @Test
    void framesTheReplayAlreadySentAreDropped() {
        SseFrame heartbeat = frame("hb");
        connection.offer(frame(1));
        connection.offer(frame(2));
        connection.offer(heartbeat);
        connection.offer(frame(3));

        goLiveAndLetTheContainerStartWriting(new EventId(2, 0));

        assertEquals(wireOf(heartbeat, frame(3)), written());
    }

    @Test
    void offersAfterGoLiveShareOneDrainOnTheWriterPool() {
        goLiveAndLetTheContainerStartWriting(null);
        connection.offer(frame("x"));
        connection.offer(frame("y"));
        assertEquals(1, writers.tasks.size());
        assertEquals("", written(), "offering never writes on the caller's thread");

        writers.runAll();

        assertEquals(wireOf(frame("x"), frame("y")), written());
    }

    @Test
    void aSocketThatIsNotReadyPausesTheWriterUntilWritePossibleWithoutLosingOrReordering() {
        stallAfter = frame("b").bytes();
        for (String data : new String[] {"a", "b", "c", "d"}) {
            connection.offer(frame(data));
        }

        goLiveAndLetTheContainerStartWriting(null);
        assertEquals(wireOf(frame("a"), frame("b")), written());

        connection.offer(frame("e"));
        assertTrue(writers.tasks.isEmpty(), "the stalled writer keeps ownership; no second drain starts");

        stallAfter = null;
        socketReady.set(true);
        connection.onWritePossible();

        assertEquals(wireOf(frame("a"), frame("b"), frame("c"), frame("d"), frame("e")), written());
    }

    @Test
    void overflowingTheQueueClosesTheConnectionOnce() {
        connection = connectionWithCapacity(2);
        goLiveAndLetTheContainerStartWriting(null);
        socketReady.set(false);
        connection.offer(frame("a"));
        writers.runAll(); // the drain finds the socket not ready, so frames pile up
        connection.offer(frame("b"));
        assertFalse(connection.isClosed(), "two frames fit a buffer of two");
        connection.offer(frame("c"));

        assertTrue(connection.isClosed());
        assertTrue(connection.closeReason().contains("overflowed"), connection.closeReason());
        writers.runAll();
        connection.onWritePossible();
        writers.runAll();

        assertEquals(1, closeCallbacks.get());
        verify(async, times(1)).complete();
        assertEquals("", written());
    }

    @Test
    void overflowBeforeGoLiveCompletesTheResponseOnlyWhenTheHandshakeHandsItOver() {
        connection = connectionWithCapacity(1);
        connection.offer(frame("a"));
        connection.offer(frame("b"));
        writers.runAll();

        assertTrue(connection.isClosed());
        assertEquals(1, closeCallbacks.get());
        verify(async, never()).complete();

        connection.goLive(null);
        writers.runAll();
        verify(async, times(1)).complete();
        verify(out, never()).setWriteListener(any());
    }

    @Test
    void closeIsIdempotentWhicheverPathsCallIt() {
        goLiveAndLetTheContainerStartWriting(null);
        CompletableFuture<Void> deadline = new CompletableFuture<>();
        connection.setDeadline(deadline);

        connection.close("token expired");
        connection.close("shutdown");
        connection.onTimeout(null);
        connection.onError(new IOException("reset"));
        writers.runAll();
        connection.onComplete(null);

        assertEquals("token expired", connection.closeReason());
        assertEquals(1, closeCallbacks.get());
        verify(async, times(1)).complete();
        assertTrue(deadline.isCancelled());
    }

    @Test
    void framesOfferedAfterCloseAreNeverWritten() {
        goLiveAndLetTheContainerStartWriting(null);
        connection.close("gone");
        connection.offer(frame("late"));
        connection.end(frame("bye"));
        writers.runAll();
        assertEquals("", written());
    }

    @Test
    void aFailedWriteClosesTheConnection() throws IOException {
        doThrow(new IOException("broken pipe")).when(out).write(any(byte[].class));
        connection.offer(frame("a"));
        connection.offer(frame("b"));

        goLiveAndLetTheContainerStartWriting(null);
        writers.runAll();

        assertTrue(connection.isClosed());
        assertTrue(connection.closeReason().startsWith("write failed"), connection.closeReason());
        assertEquals(1, closeCallbacks.get());
        verify(async, times(1)).complete();
        verify(out, times(1)).write(any(byte[].class));
    }

    @Test
    void endWritesEverythingQueuedAndTheLastFrameThenCompletes() throws IOException {
        goLiveAndLetTheContainerStartWriting(null);
        SseFrame last = frame("bye");
        connection.offer(frame("a"));
        connection.end(last);
        writers.runAll();

        assertEquals(wireOf(frame("a"), last), written());
        InOrder order = inOrder(out, async);
        order.verify(out).write(last.bytes());
        order.verify(async).complete();
        assertEquals("ended by server", connection.closeReason());
        assertEquals(1, closeCallbacks.get());
    }

    @Test
    void aWriterPoolThatRefusesWorkClosesTheConnectionAndStillCompletes() {
        goLiveAndLetTheContainerStartWriting(null);
        writers.rejecting = true;

        connection.offer(frame("a"));

        assertEquals("server shutting down", connection.closeReason());
        assertEquals(1, closeCallbacks.get());
        verify(async, times(1)).complete();
    }

    @Test
    void aDeadlineSetAfterCloseIsCancelledAtOnce() {
        connection.close("gone");
        CompletableFuture<Void> deadline = new CompletableFuture<>();
        connection.setDeadline(deadline);
        assertTrue(deadline.isCancelled());
    }

    @Test
    void eachEventWrittenLiveIsCountedWithItsBytesAndItsLatencySincePublication() {
        SseFrame event = SseFrame.of(new BusEvent(new EventId(5, 0), Channel.QUEUE, "queue_update", "{}", null, null,
                NOW.toEpochMilli() - 20));
        SseFrame heartbeat = frame("hb");
        connection.offer(event);
        connection.offer(heartbeat);

        goLiveAndLetTheContainerStartWriting(null);

        assertEquals(1, sample("hermes_sse_events_delivered_total"), "control frames are not events");
        assertEquals(event.bytes().length + heartbeat.bytes().length, sample("hermes_sse_written_bytes_total"));
        assertEquals(0, sample("hermes_sse_delivery_latency_seconds_bucket{le=\"0.01\"}"));
        assertEquals(1, sample("hermes_sse_delivery_latency_seconds_bucket{le=\"0.025\"}"), "20 ms");
        assertEquals(1, sample("hermes_sse_delivery_latency_seconds_count"));
        assertEquals(0.02, sample("hermes_sse_delivery_latency_seconds_sum"), 1e-9);
    }

    @Test
    void anEventWithoutAPublishTimeIsDeliveredButNotTimed() {
        connection.offer(frame(7));
        goLiveAndLetTheContainerStartWriting(null);
        assertEquals(1, sample("hermes_sse_events_delivered_total"));
        assertEquals(0, sample("hermes_sse_delivery_latency_seconds_count"));
    }

    @Test
    void handshakeWritesCountBytesButNotDeliveredEvents() throws IOException {
        connection.writeBlocking(frame(1));
        assertEquals(frame(1).bytes().length, sample("hermes_sse_written_bytes_total"));
        assertEquals(0, sample("hermes_sse_events_delivered_total"));
    }

    @Test
    void aSlowClientIsCountedOnceHoweverManyFramesOverflow() {
        connection = connectionWithCapacity(1);
        for (int i = 0; i < 5; i++) {
            connection.offer(frame("x" + i));
        }
        connection.close("shutdown");
        assertEquals(1, sample("hermes_sse_slow_clients_cut_total"));
    }

    @Test
    void aClientThatTakesNothingForAWholeHeartbeatIntervalWhileAWriteWaitsIsClosed() {
        stallAfter = frame("a").bytes();
        connection.offer(frame("a"));
        connection.offer(frame("b"));
        goLiveAndLetTheContainerStartWriting(null);
        assertEquals(wireOf(frame("a")), written(), "the socket filled up after the first frame");

        connection.closeIfStalled();
        assertFalse(connection.isClosed(), "one heartbeat with a waiting write is not yet proof");
        connection.closeIfStalled();

        assertTrue(connection.isClosed());
        assertTrue(connection.closeReason().contains("stopped reading"), connection.closeReason());
        writers.runAll();
        assertEquals(1, closeCallbacks.get());
        verify(async, times(1)).complete();
    }

    @Test
    void aClientThatReadsSlowlyIsKeptAsLongAsTheSocketTakesSomethingEachInterval() {
        stallAfter = frame("a").bytes();
        for (String data : new String[] {"a", "b", "c"}) {
            connection.offer(frame(data));
        }
        goLiveAndLetTheContainerStartWriting(null);
        connection.closeIfStalled();

        stallAfter = frame("b").bytes(); // the client read a little: one more frame fits, then it is full again
        socketReady.set(true);
        connection.onWritePossible();
        connection.closeIfStalled();
        assertFalse(connection.isClosed(), "progress since the last heartbeat");

        connection.closeIfStalled();
        assertTrue(connection.isClosed(), "no progress for a whole interval");
    }

    @Test
    void anIdleStreamWithNothingWaitingIsNeverClosedByTheStallCheck() {
        goLiveAndLetTheContainerStartWriting(null);
        connection.offer(frame("a"));
        writers.runAll();
        for (int beat = 0; beat < 5; beat++) {
            connection.closeIfStalled();
        }
        assertFalse(connection.isClosed());
    }
}
