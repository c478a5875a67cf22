package io.hermes.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpResponseReaderTest {
    private static final String OK_HEAD = "HTTP/1.1 200 OK\r\nETag: \"abc\"\r\nContent-Type: application/json\r\n"
            + "Content-Length: 11\r\n\r\n";

    @Test
    void countsHeadAndBodyOfAContentLengthResponseAndStopsAtItsEnd() throws IOException {
        InputStream in = stream(OK_HEAD + "{\"a\":12345}" + "HTTP/1.1 304 Not Modified\r\nETag: \"abc\"\r\n\r\n");
        HttpResponseReader.Response first = HttpResponseReader.read(in, "GET");
        assertEquals(200, first.status());
        assertEquals("{\"a\":12345}", new String(first.body(), StandardCharsets.UTF_8));
        assertEquals(OK_HEAD.length() + 11, first.wireBytes());
        assertTrue(first.reusable());
        HttpResponseReader.Response second = HttpResponseReader.read(in, "GET");
        assertEquals(304, second.status());
        assertEquals(0, second.body().length);
        assertEquals("HTTP/1.1 304 Not Modified\r\nETag: \"abc\"\r\n\r\n".length(), second.wireBytes());
        assertEquals("\"abc\"", second.header("etag"));
    }

    @Test
    void countsChunkFramingAsWireBytesButNotAsBody() throws IOException {
        String wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\nNEXT";
        InputStream in = stream(wire);
        HttpResponseReader.Response response = HttpResponseReader.read(in, "GET");
        assertArrayEquals("hello world".getBytes(StandardCharsets.US_ASCII), response.body());
        assertEquals(wire.length() - "NEXT".length(), response.wireBytes());
        assertEquals('N', in.read(), "the next response's bytes are left unread");
    }

    @Test
    void readsNoBodyAfterHeadOr204() throws IOException {
        String head = "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n";
        assertEquals(head.length(), HttpResponseReader.read(stream(head), "HEAD").wireBytes());
        assertEquals(0, HttpResponseReader.read(stream("HTTP/1.1 204 No Content\r\n\r\n"), "DELETE").body().length);
    }

    @Test
    void aBodyWithoutFramingRunsToTheEndAndEndsTheConnection() throws IOException {
        HttpResponseReader.Response response = HttpResponseReader.read(stream("HTTP/1.1 200 OK\r\n\r\nall of it"), "GET");
        assertEquals("all of it", new String(response.body(), StandardCharsets.UTF_8));
        assertFalse(response.reusable());
    }

    @Test
    void connectionCloseMakesTheConnectionUnusable() throws IOException {
        HttpResponseReader.Response response = HttpResponseReader.read(
                stream("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"), "GET");
        assertFalse(response.reusable());
    }

    @Test
    void tellsAClosedIdleConnectionFromOneThatBrokeMidResponse() {
        assertThrows(HttpResponseReader.NothingReadException.class, () -> HttpResponseReader.read(stream(""), "GET"));
        EOFException broken = assertThrows(EOFException.class,
                () -> HttpResponseReader.read(stream("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc"), "GET"));
        assertFalse(broken instanceof HttpResponseReader.NothingReadException);
    }

    @Test
    void encodesARequestWithHostHeadersAndContentLength() {
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Accept", "application/json");
        headers.put("Authorization", "Bearer k");
        byte[] request = WireClient.encode("POST", "/api/v1/events/token", "127.0.0.1:18080", headers,
                "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals("POST /api/v1/events/token HTTP/1.1\r\nHost: 127.0.0.1:18080\r\nAccept: application/json\r\n"
                + "Authorization: Bearer k\r\nContent-Length: 2\r\n\r\n{}", new String(request, StandardCharsets.UTF_8));
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
