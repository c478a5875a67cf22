package io.hermes.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseHeadTest {
    @Test
    void readsStatusAndHeadersArrivingInPiecesAndLeavesTheBodyBytes() {
        byte[] wire = ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream;charset=utf-8\r\n"
                + "Transfer-Encoding: chunked\r\nSet-Cookie: a\r\nSet-Cookie: b\r\n\r\nd\r\nretry: 3000\n\n").getBytes(
                StandardCharsets.ISO_8859_1);
        ResponseHead head = new ResponseHead();
        int consumed = 0;
        while (!head.isComplete()) {
            consumed += head.feed(wire, consumed, Math.min(7, wire.length - consumed));
        }
        assertEquals(200, head.status());
        assertEquals("text/event-stream;charset=utf-8", head.header("CONTENT-TYPE"));
        assertEquals("a, b", head.header("set-cookie"));
        assertTrue(head.isChunked());
        assertEquals("d\r\nretry: 3000\n\n", new String(wire, consumed, wire.length - consumed, StandardCharsets.ISO_8859_1));
    }

    @Test
    void isChunkedOnlyWhenChunkedIsTheLastCoding() {
        assertTrue(head("Transfer-Encoding: gzip, chunked").isChunked());
        assertFalse(head("Transfer-Encoding: chunked, gzip").isChunked());
        assertFalse(head("Content-Length: 10").isChunked());
    }

    @Test
    void reportsAnErrorStatus() {
        assertEquals(503, head("Retry-After: 3").status());
    }

    @Test
    void rejectsSomethingThatIsNotHttp() {
        byte[] wire = "SSH-2.0-OpenSSH\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThrows(MalformedResponseException.class, () -> new ResponseHead().feed(wire, 0, wire.length));
    }

    private static ResponseHead head(String header) {
        String status = header.startsWith("Retry") ? "HTTP/1.1 503 Service Unavailable" : "HTTP/1.1 200 OK";
        byte[] wire = (status + "\n" + header + "\n\n").getBytes(StandardCharsets.ISO_8859_1);
        ResponseHead head = new ResponseHead();
        head.feed(wire, 0, wire.length);
        assertTrue(head.isComplete());
        return head;
    }
}
