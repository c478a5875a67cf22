package io.hermes.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class GzipDecoderTest {
    private static final String EVENTS = "event: download_progress\ndata: {\"percentage\":1.5}\n\n".repeat(40);

    private static byte[] gzip(String text, int flushEvery) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, true)) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < bytes.length; i += flushEvery) {
                gzip.write(bytes, i, Math.min(flushEvery, bytes.length - i));
                gzip.flush();
            }
        }
        return out.toByteArray();
    }

    @Test
    void decodesEverythingFlushedEvenWhenItArrivesOneByteAtATime() throws IOException {
        byte[] body = gzip(EVENTS, 100);
        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        try (GzipDecoder decoder = new GzipDecoder(decoded::write)) {
            for (byte b : body) {
                decoder.accept(new byte[] {b}, 0, 1);
            }
            assertTrue(decoder.isDone(), "the trailer was read and matched");
        }
        assertEquals(EVENTS, decoded.toString(StandardCharsets.UTF_8));
    }

    @Test
    void whatASyncFlushEndedIsPassedOnBeforeTheRestArrives() throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed, true);
                GzipDecoder decoder = new GzipDecoder(decoded::write)) {
            gzip.write("event: a\ndata: 1\n\n".getBytes(StandardCharsets.UTF_8));
            gzip.flush();
            byte[] sofar = compressed.toByteArray();
            decoder.accept(sofar, 0, sofar.length);
            assertEquals("event: a\ndata: 1\n\n", decoded.toString(StandardCharsets.UTF_8));
            assertFalse(decoder.isDone());
        }
    }

    @Test
    void skipsTheOptionalHeaderFields() throws IOException {
        byte[] plain = gzip(EVENTS, 1000);
        // The same body with FEXTRA (3 bytes), FNAME and FCOMMENT inserted after the fixed header.
        ByteArrayOutputStream withFields = new ByteArrayOutputStream();
        withFields.write(plain, 0, 3);
        withFields.write(4 | 8 | 16);
        withFields.write(plain, 4, 6);
        withFields.write(new byte[] {3, 0, 'x', 'y', 'z'});
        withFields.write("events.txt\0a comment\0".getBytes(StandardCharsets.ISO_8859_1));
        withFields.write(plain, 10, plain.length - 10);
        byte[] body = withFields.toByteArray();
        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        try (GzipDecoder decoder = new GzipDecoder(decoded::write)) {
            decoder.accept(body, 0, body.length);
            assertTrue(decoder.isDone());
        }
        assertEquals(EVENTS, decoded.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aTrailerThatDoesNotMatchIsAnError() throws IOException {
        byte[] body = gzip(EVENTS, 1000);
        byte[] corrupt = Arrays.copyOf(body, body.length);
        corrupt[corrupt.length - 5] ^= 1; // a bit of the length
        try (GzipDecoder decoder = new GzipDecoder((bytes, offset, length) -> { })) {
            assertThrows(MalformedResponseException.class, () -> decoder.accept(corrupt, 0, corrupt.length));
        }
    }
}
