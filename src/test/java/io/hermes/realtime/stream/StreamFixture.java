package io.hermes.realtime.stream;

import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.bus.EventId;
import io.hermes.realtime.metrics.Metrics;
import jakarta.servlet.AsyncContext;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One stream as the connection's unit tests drive it: its output a {@link FakeServletOutput}, its drains run
 * by hand ({@link HandRunExecutor}), metrics on a fixed clock. The container's {@code AsyncContext} is a
 * mock: completing the response is all the stream asks of it, and the mock records what the client had
 * received by then.
 */
final class StreamFixture {
    static final Instant NOW = Instant.parse("2026-11-22T10:00:00.500Z");
    /** A compressed stream's write size: the handshake's response buffer. */
    static final int WRITE_BYTES = 4096;

    final AsyncContext async = mock(AsyncContext.class);
    final FakeServletOutput out = new FakeServletOutput();
    final HandRunExecutor writers = new HandRunExecutor();
    final AtomicInteger closeCallbacks = new AtomicInteger();
    final Metrics metrics = new Metrics();
    final CompressionSlots slots = new CompressionSlots(1);
    final StreamMetrics streamMetrics = new StreamMetrics(metrics, new ConnectionRegistry(10), slots,
            Clock.fixed(NOW, ZoneOffset.UTC));
    private String writtenAtCompletion;

    StreamFixture() {
        doAnswer(call -> {
            writtenAtCompletion = out.written();
            return null;
        }).when(async).complete();
    }

    /** An uncompressed stream on {@code queue} whose queue holds {@code capacity} frames. */
    SseConnection plain(int capacity) {
        return connection(new FrameOutput.Plain(out), capacity);
    }

    /** A gzip-compressed stream on {@code queue}, holding one of {@link #slots}. */
    SseConnection compressed(int capacity) {
        return connection(new FrameOutput.Gzip(out, slots.tryOpen(), WRITE_BYTES, streamMetrics), capacity);
    }

    private SseConnection connection(FrameOutput output, int capacity) {
        return new SseConnection("c1", "queue", Subscription.of(Channel.QUEUE), async, output,
                new SseConnection.Options(capacity, 0, writers, null, streamMetrics,
                        closed -> closeCallbacks.incrementAndGet()));
    }

    /** The handshake hands over and the container makes its first onWritePossible call. */
    void goLive(SseConnection connection, EventId replayedUpTo) {
        connection.goLive(replayedUpTo);
        out.writePossible();
    }

    /** What the client had received when the response was completed, or {@code null} if it was not. */
    String writtenAtCompletion() {
        return writtenAtCompletion;
    }

    /** The value of one sample line of the scrape, such as {@code hermes_sse_events_delivered_total}. */
    double sample(String series) {
        for (String line : metrics.scrape().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        throw new AssertionError("no sample " + series + " in\n" + metrics.scrape());
    }

    static SseFrame frame(String data) {
        return SseFrame.control("e", data);
    }

    static SseFrame frame(long millis) {
        return SseFrame.event(new EventId(millis, 0), "queue_update", "#" + millis, Channel.QUEUE, null, null);
    }

    static String wireOf(SseFrame... frames) {
        StringBuilder text = new StringBuilder();
        for (SseFrame frame : frames) {
            text.append(frame);
        }
        return text.toString();
    }
}
