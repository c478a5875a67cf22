package io.hermes.realtime.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.bus.EventId;
import io.hermes.realtime.metrics.Metrics;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * A compressed stream's writer against a container output that behaves as Jetty's does in non-blocking
 * mode: a write it cannot finish at once keeps a reference to the caller's array and sends it later, and
 * {@code isReady()} stays false until it has. The writer must not touch that array in the meantime.
 */
class CompressedConnectionTest {
    private final AsyncContext async = mock(AsyncContext.class);
    private final LazyOutput out = new LazyOutput();
    private final Queue<Runnable> writerTasks = new ArrayDeque<>();
    private final Executor writers = writerTasks::add;
    private final CompressionSlots slots = new CompressionSlots(1);
    private final StreamMetrics metrics = new StreamMetrics(new Metrics(), new ConnectionRegistry(1), slots,
            Clock.systemUTC());
    private final SseConnection connection = new SseConnection("c1", "queue", Subscription.of(Channel.QUEUE), async, out,
            1000, writers, closed -> { }, metrics, slots.tryOpen(), 0, null);

    /** Takes writes while "ready"; otherwise keeps the array itself, unread, until the test releases it. */
    private static final class LazyOutput extends ServletOutputStream {
        final ByteArrayOutputStream wire = new ByteArrayOutputStream();
        boolean ready = true;
        boolean stallAfterNextWrite;
        byte[] held;
        int heldOffset;
        int heldLength;

        @Override
        public void write(byte[] bytes, int offset, int length) {
            if (!ready) {
                throw new IllegalStateException("write while not ready");
            }
            if (stallAfterNextWrite) {
                stallAfterNextWrite = false;
                ready = false;
                held = bytes;
                heldOffset = offset;
                heldLength = length;
                return;
            }
            wire.write(bytes, offset, length);
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void flush() {
            if (!ready) {
                throw new IllegalStateException("flush while not ready");
            }
        }

        /** The socket took the held write: its bytes as they are now in the caller's array. */
        void release() {
            wire.write(held, heldOffset, heldLength);
            held = null;
            ready = true;
        }

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            // the test calls onWritePossible itself
        }
    }

    private static SseFrame event(long millis) {
        return SseFrame.event(new EventId(millis, 0), "queue_update",
                "{\"action\":\"status_changed\",\"download_id\":\"d" + millis + "\",\"status\":\"queued\"}",
                Channel.QUEUE, null, null);
    }

    private void runWriters() {
        Runnable task;
        while ((task = writerTasks.poll()) != null) {
            task.run();
        }
    }

    private String decoded() throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(out.wire.toByteArray()))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aWriteTheContainerHoldsIsNeverOverwrittenAndTheCleanEndCarriesTheTrailer() throws IOException {
        connection.writeBlocking(SseFrame.retry(3000));
        connection.flushBlocking();
        connection.goLive(null);
        connection.onWritePossible();

        StringBuilder expected = new StringBuilder(SseFrame.retry(3000).toString());
        out.stallAfterNextWrite = true;
        for (long id = 1; id <= 3; id++) {
            connection.offer(event(id));
            expected.append(event(id));
        }
        runWriters();
        assertTrue(out.held != null, "the batch's compressed bytes wait in the container");
        for (long id = 4; id <= 200; id++) {
            connection.offer(event(id)); // the writer must not compress into the held array meanwhile
            expected.append(event(id));
        }
        runWriters();
        out.release();
        connection.onWritePossible();

        connection.end(null);
        runWriters();
        assertEquals(expected.toString(), decoded(), "GZIPInputStream also checks the trailer's CRC and length");
        verify(async, times(1)).complete();
        assertEquals(0, slots.live(), "the deflater is freed when the response completes");
    }

    @Test
    void aClientThatGoesAwayFreesTheDeflaterWithoutATrailer() throws IOException {
        connection.flushBlocking();
        connection.goLive(null);
        connection.onWritePossible();
        connection.offer(event(1));
        runWriters();
        assertEquals(1, slots.live());
        connection.onError(new IOException("connection reset"));
        runWriters();
        assertEquals(0, slots.live());
        assertTrue(connection.isClosed());
    }

    @Test
    void aHandshakeThatFailsFreesTheDeflater() {
        connection.abortHandshake("replay failed");
        assertEquals(0, slots.live());
    }
}
