package io.hermes.bench;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads exactly one HTTP/1.1 response from a blocking stream and counts every byte it consumed: head,
 * body and chunk framing, i.e. what crossed the socket for this response. It reads no further than the
 * response's end, so the next response on a keep-alive connection starts where this one stopped.
 *
 * <p>Framing follows RFC 9112 section 6.3: no body after HEAD and for 1xx, 204 and 304; otherwise the
 * last coding chunked, then {@code Content-Length}, otherwise everything until the server closes.
 */
final class HttpResponseReader {
    private HttpResponseReader() {
    }

    /**
     * One response as received. {@code wireBytes} counts head and framed body as they were read;
     * {@code reusable} is false when the connection cannot carry another request (the server said
     * {@code Connection: close}, or the body ran to the end of the stream).
     */
    record Response(int status, ResponseHead head, byte[] body, long wireBytes, boolean reusable) {
        String header(String name) {
            return head.header(name);
        }
    }

    /**
     * Reads the response to a request with {@code method}.
     *
     * @throws NothingReadException when the stream ended before the first byte (a keep-alive connection
     *                              the server had already closed)
     * @throws EOFException         when it ended inside the response
     */
    static Response read(InputStream in, String method) throws IOException {
        ResponseHead head = new ResponseHead();
        byte[] one = new byte[1];
        long wire = 0;
        while (!head.isComplete()) {
            int b = in.read();
            if (b < 0) {
                throw wire == 0 ? new NothingReadException() : new EOFException("connection closed inside a response head");
            }
            one[0] = (byte) b;
            head.feed(one, 0, 1);
            wire++;
        }
        int status = head.status();
        if ("HEAD".equals(method) || status / 100 == 1 || status == 204 || status == 304) {
            return new Response(status, head, new byte[0], wire, keepsAlive(head));
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (head.isChunked()) {
            ChunkedDecoder decoder = new ChunkedDecoder();
            ByteSink sink = body::write;
            while (!decoder.isDone()) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("connection closed inside a chunked body");
                }
                one[0] = (byte) b;
                decoder.feed(one, 0, 1, sink);
                wire++;
            }
            return new Response(status, head, body.toByteArray(), wire, keepsAlive(head));
        }
        String length = head.header("content-length");
        if (length != null) {
            long size;
            try {
                size = Long.parseLong(length.trim());
            } catch (NumberFormatException malformed) {
                throw new MalformedResponseException("bad Content-Length: " + length);
            }
            byte[] bytes = in.readNBytes((int) size);
            if (bytes.length < size) {
                throw new EOFException("connection closed after " + bytes.length + " of " + size + " body bytes");
            }
            return new Response(status, head, bytes, wire + size, keepsAlive(head));
        }
        byte[] rest = in.readAllBytes();
        return new Response(status, head, rest, wire + rest.length, false);
    }

    private static boolean keepsAlive(ResponseHead head) {
        String connection = head.header("connection");
        return connection == null || !connection.toLowerCase(java.util.Locale.ROOT).contains("close");
    }

    /** The connection was closed before a single byte of the response: a stale keep-alive connection. */
    static final class NothingReadException extends EOFException {
        private static final long serialVersionUID = 1L;

        NothingReadException() {
            super("connection closed before the response began");
        }
    }
}
