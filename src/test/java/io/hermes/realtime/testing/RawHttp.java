package io.hermes.realtime.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written and read byte by byte on a bare socket, for what a well-behaved client library will not
 * send: paths that are not valid URIs ({@code ..;}, {@code //}, raw {@code %2F}), two {@code Authorization}
 * headers, a 20 KB header, broken chunked encoding, a body that stops halfway or comes one byte at a time.
 * {@link #exchange} does one request and reads its answer; {@link #connect} leaves every step to the test.
 */
public final class RawHttp implements AutoCloseable {
    private final Socket socket;

    private RawHttp(Socket socket) {
        this.socket = socket;
    }

    /** A response as it came; header names are lower case, repeated headers joined with ", ". */
    public record Response(int status, Map<String, String> headers, String body) {
        /** The value of {@code name}, or null. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return status + " " + headers + "\n" + body;
        }
    }

    /** Connects to the server on {@code port} of the loopback address; reads give up after {@code readTimeout}. */
    public static RawHttp connect(int port, Duration readTimeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setSoTimeout((int) readTimeout.toMillis());
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            return new RawHttp(socket);
        } catch (IOException failed) {
            socket.close();
            throw failed;
        }
    }

    /** Sends {@code method target HTTP/1.1} with a Host header, {@code headers}, no body, and reads the answer. */
    public static Response exchange(int port, String method, String target, Map<String, String> headers)
            throws IOException {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Connection: close\r\n\r\n");
        return exchange(port, head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Sends {@code request} exactly as given (head and body) and reads the answer. A server may answer a
     * request it will not read to the end and close at once: what it said is read all the same.
     */
    public static Response exchange(int port, byte[] request) throws IOException {
        try (RawHttp http = connect(port, Duration.ofSeconds(10))) {
            try {
                http.send(request);
            } catch (SocketException refusedMidway) {
                // the answer, if any, is still there to read
            }
            return http.read();
        }
    }

    /**
     * A request head for {@code path} below {@code /api/v1}: the request line, {@code Host}, then each of
     * {@code headers} (in their order), then the blank line.
     */
    public static String head(String method, String path, Map<String, String> headers) {
        StringBuilder head = new StringBuilder(method).append(" /api/v1").append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return head.append("\r\n").toString();
    }

    /** Writes {@code text} as it is (ISO-8859-1, so every char is one byte) and flushes it. */
    public RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttp send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** Whether anything has arrived from the server (its answer, or the end of the connection) yet. */
    public boolean answered() throws IOException {
        return socket.getInputStream().available() > 0;
    }

    /** Reads one response: status line, headers, and a body framed by length, chunks, or the connection's end. */
    public Response read() throws IOException {
        InputStream in = socket.getInputStream();
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.merge(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim(),
                    (first, second) -> first + ", " + second);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                    size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
        } else {
            readToEnd(in, body);
        }
        return new Response(Integer.parseInt(parts[1]), headers, body.toString(StandardCharsets.UTF_8));
    }

    /** The rest of the connection; a reset after the answer (our request left unread) ends it as well. */
    private static void readToEnd(InputStream in, ByteArrayOutputStream body) throws IOException {
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                body.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // what arrived stands
        }
    }

    /** One line without its CRLF; the connection ending first is an {@link IOException}. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection ended inside a line: " + line.toString(StandardCharsets.ISO_8859_1));
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
