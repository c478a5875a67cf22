package io.hermes.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkedDecoderTest {
    private static final String BODY = "5\r\nhello\r\n"
            + "1;name=value\r\n \r\n"
            + "1A\r\nabcdefghijklmnopqrstuvwxyz\r\n"
            + "0\r\nTrailer: yes\r\n\r\n";
    private static final String DECODED = "hello abcdefghijklmnopqrstuvwxyz";

    @Test
    void decodesTheSameWhereverTheBodyIsSplitInTwo() {
        byte[] body = bytes(BODY);
        for (int cut = 0; cut <= body.length; cut++) {
            ChunkedDecoder decoder = new ChunkedDecoder();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            decoder.feed(body, 0, cut, out::write);
            decoder.feed(body, cut, body.length - cut, out::write);
            assertEquals(DECODED, out.toString(StandardCharsets.UTF_8), "cut at " + cut);
            assertTrue(decoder.isDone(), "cut at " + cut);
        }
    }

    @Test
    void decodesABodyFedOneByteAtATime() {
        byte[] body = bytes(BODY);
        ChunkedDecoder decoder = new ChunkedDecoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < body.length; i++) {
            decoder.feed(body, i, 1, out::write);
        }
        assertEquals(DECODED, out.toString(StandardCharsets.UTF_8));
        assertTrue(decoder.isDone());
    }

    @Test
    void handsChunkDataOnBeforeItsClosingCrLfArrives() {
        // Jetty writes a chunk's CRLF only in front of the next chunk's size line.
        ChunkedDecoder decoder = new ChunkedDecoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        decoder.feed(bytes("7\r\ndata: 1"), 0, 10, out::write);
        assertEquals("data: 1", out.toString(StandardCharsets.UTF_8));
        byte[] next = bytes("\r\n3\r\n\n\n\n");
        decoder.feed(next, 0, next.length, out::write);
        assertEquals("data: 1\n\n\n", out.toString(StandardCharsets.UTF_8));
        assertFalse(decoder.isDone());
    }

    @Test
    void stopsConsumingAtTheEndOfTheLastChunk() {
        byte[] body = bytes("2\r\nok\r\n0\r\n\r\nHTTP/1.1 200 OK");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int consumed = new ChunkedDecoder().feed(body, 0, body.length, out::write);
        assertEquals(body.length - "HTTP/1.1 200 OK".length(), consumed);
        assertArrayEquals(bytes("ok"), out.toByteArray());
    }

    @Test
    void acceptsBareLineFeedsWhereCrLfIsExpected() {
        byte[] body = bytes("2\nok\n0\n\n");
        ChunkedDecoder decoder = new ChunkedDecoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        decoder.feed(body, 0, body.length, out::write);
        assertEquals("ok", out.toString(StandardCharsets.UTF_8));
        assertTrue(decoder.isDone());
    }

    @Test
    void rejectsASizeLineThatIsNotHexadecimal() {
        byte[] body = bytes("zz\r\n");
        assertThrows(MalformedResponseException.class, () -> new ChunkedDecoder().feed(body, 0, body.length, (b, o, n) -> {
        }));
    }

    @Test
    void rejectsChunkDataLongerThanItsSize() {
        byte[] body = bytes("2\r\nokay\r\n");
        assertThrows(MalformedResponseException.class, () -> new ChunkedDecoder().feed(body, 0, body.length, (b, o, n) -> {
        }));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
