package io.hermes.realtime.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.bus.EventId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * A compressed stream's writer against a container output that behaves as Jetty's does in non-blocking
 * mode: a write it cannot finish at once keeps a reference to the caller's array and sends it later, and
 * {@code isReady()} stays false until it has. The writer must not touch that array in the meantime.
 */
class GzipOutputTest {
    private final StreamFixture stream = new StreamFixture();
    private final FakeServletOutput out = stream.out;
    private final CompressionSlots slots = stream.slots;
    private final SseConnection connection = stream.compressed(1000);

    private static SseFrame event(long millis) {
        return SseFrame.event(new EventId(millis, 0), "queue_update",
                "{\"action\":\"status_changed\",\"download_id\":\"d" + millis + "\",\"status\":\"queued\"}",
                Channel.QUEUE, null, null);
    }

    private String decoded() throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(out.bytes()))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aWriteTheContainerHoldsIsNeverOverwrittenAndTheCleanEndCarriesTheTrailer() throws IOException {
        connection.writeBlocking(SseFrame.retry(3000));
        connection.flushBlocking();
        stream.goLive(connection, null);

        StringBuilder expected = new StringBuilder(SseFrame.retry(3000).toString());
        out.holdNextWrite();
        for (long id = 1; id <= 3; id++) {
            connection.offer(event(id));
            expected.append(event(id));
        }
        stream.writers.runAll();
        assertTrue(out.holding(), "the batch's compressed bytes wait in the container");
        for (long id = 4; id <= 200; id++) {
            connection.offer(event(id)); // the writer must not compress into the held array meanwhile
            expected.append(event(id));
        }
        stream.writers.runAll();
        out.release();
        out.writePossible();

        connection.end(null);
        stream.writers.runAll();
        assertEquals(expected.toString(), decoded(), "GZIPInputStream also checks the trailer's CRC and length");
        verify(stream.async, times(1)).complete();
        assertEquals(0, slots.live(), "the deflater is freed when the response completes");
    }

    @Test
    void aClientThatGoesAwayFreesTheDeflaterWithoutATrailer() throws IOException {
        connection.flushBlocking();
        stream.goLive(connection, null);
        connection.offer(event(1));
        stream.writers.runAll();
        assertEquals(1, slots.live());
        out.listener().onError(new IOException("connection reset"));
        stream.writers.runAll();
        assertEquals(0, slots.live());
        assertTrue(connection.isClosed());
    }

    @Test
    void aHandshakeThatFailsFreesTheDeflater() {
        connection.abortHandshake("replay failed");
        assertEquals(0, slots.live());
    }
}
