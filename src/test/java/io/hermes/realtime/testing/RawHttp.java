package io.hermes.realtime.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One HTTP/1.1 exchange written byte for byte on a bare socket, for requests no HTTP client will send:
 * encoded dot segments, two {@code Authorization} headers, a broken chunk size, a 20 KB header. The
 * request should carry {@code Connection: close}; the response is read until the server closes, then
 * parsed (a chunked body is decoded).
 */
public final class RawHttp {
    private RawHttp() {
    }

    /** A parsed response: its status, its header lines in order, and its body as text. */
    public record Response(int status, List<String[]> headers, String body) {
        /** The first value of a header, by case-insensitive name. */
        public Optional<String> header(String name) {
            return headers.stream().filter(header -> header[0].equalsIgnoreCase(name)).map(header -> header[1]).findFirst();
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder().append(status);
            headers.forEach(header -> text.append("\n").append(header[0]).append(": ").append(header[1]));
            return text.append("\n\n").append(body).toString();
        }
    }

    /** Sends {@code request} to 127.0.0.1:{@code port} and reads the answer. */
    public static Response exchange(int port, byte[] request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(15_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (SocketException refusedMidway) {
                // The server may answer and close before it has read everything (a 413 or 431): read what it said.
            }
            return parse(readAll(socket.getInputStream()));
        }
    }

    /** The same for a request written as text (ISO-8859-1, so every char is one byte as written). */
    public static Response exchange(int port, String request) throws IOException {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int read; (read = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, read);
            }
        } catch (SocketException reset) {
            // A server that closes with unread request bytes resets the connection; what arrived stands.
        }
        return all.toByteArray();
    }

    static Response parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new AssertionError("no complete response head in " + raw.length + " bytes: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status = Integer.parseInt(statusLine[1]);
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.add(new String[] {lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        boolean chunked = headers.stream().anyMatch(header -> header[0].equalsIgnoreCase("Transfer-Encoding")
                && header[1].toLowerCase(Locale.ROOT).contains("chunked"));
        return new Response(status, headers, new String(chunked ? unchunk(body) : body, StandardCharsets.UTF_8));
    }

    private static byte[] unchunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < body.length) {
            int lineEnd = indexOf(body, at);
            if (lineEnd < 0) {
                break;
            }
            String sizeText = new String(body, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int size = Integer.parseInt(sizeText, 16);
            if (size == 0) {
                break;
            }
            out.write(body, lineEnd + 2, Math.min(size, body.length - lineEnd - 2));
            at = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
