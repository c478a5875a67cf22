package io.hermes.realtime.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An SSE client on a raw socket, so tests see the wire exactly: it sends an HTTP/1.1 GET, parses the
 * status and headers, de-chunks the body and parses SSE frames on a reader thread of its own.
 */
public final class SseTestClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final int status;
    private final Map<String, String> headers;
    private final BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();
    private final StringBuilder raw = new StringBuilder();
    private final CountDownLatch ended = new CountDownLatch(1);
    private String errorBody;
    /** Body bytes as they came, after de-chunking and before any decompression. */
    private final java.util.concurrent.atomic.AtomicLong bodyBytes = new java.util.concurrent.atomic.AtomicLong();
    /** Decodes a gzip-compressed stream ({@code Content-Encoding: gzip}); {@code null} otherwise. */
    private volatile GzipStreamDecoder gzip;

    private SseTestClient(Socket socket, InputStream in, int status, Map<String, String> headers) {
        this.socket = socket;
        this.in = in;
        this.status = status;
        this.headers = headers;
    }

    public static SseTestClient open(URI uri) throws IOException {
        return open(uri, Map.of());
    }

    public static SseTestClient open(URI uri, Map<String, String> requestHeaders) throws IOException {
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        socket.setSoTimeout(60_000);
        StringBuilder request = new StringBuilder()
                .append("GET ").append(uri.getRawPath()).append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                .append(" HTTP/1.1\r\nHost: ").append(uri.getHost()).append(':').append(uri.getPort())
                .append("\r\nAccept: text/event-stream\r\n");
        requestHeaders.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();

        InputStream in = new BufferedInputStream(socket.getInputStream());
        String statusLine = readLine(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        SseTestClient client = new SseTestClient(socket, in, status, headers);
        Thread reader = new Thread(client::readBody, "sse-test-client");
        reader.setDaemon(true);
        reader.start();
        return client;
    }

    public int status() {
        return status;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The body of a non-200 answer, once the server ended it. */
    public String errorBody() throws InterruptedException {
        awaitEnd(Duration.ofSeconds(10));
        synchronized (raw) {
            return errorBody != null ? errorBody : raw.toString();
        }
    }

    /** Everything received so far, as text. */
    public String rawText() {
        synchronized (raw) {
            return raw.toString();
        }
    }

    /** The next item, or fails after {@code timeout}. */
    public SseEvent next(Duration timeout) throws InterruptedException {
        SseEvent event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("no SSE item within " + timeout + "; received so far:\n" + rawText());
        }
        return event;
    }

    /** The next item, or {@code null} if none came within {@code timeout}. */
    public SseEvent poll(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next item matching {@code wanted}, skipping others, or fails after {@code timeout}. */
    public SseEvent next(Predicate<SseEvent> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            SseEvent event = events.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("no matching SSE item within " + timeout + "; received so far:\n" + rawText());
            }
            if (wanted.test(event)) {
                return event;
            }
        }
    }

    /**
     * Waits for the {@code connected} event, skipping what comes before it, and returns it: the stream is
     * then registered on the server. Fails at once, with the answer, if the server refused the stream.
     */
    public SseEvent awaitConnected(Duration timeout) throws InterruptedException {
        if (status != 200) {
            throw new AssertionError("the stream was refused with " + status + ": " + errorBody());
        }
        return next(event -> event.name().equals("connected"), timeout);
    }

    /** The next {@code count} events named {@code name}, skipping everything else. */
    public List<SseEvent> events(String name, int count, Duration timeout) throws InterruptedException {
        List<SseEvent> found = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (found.size() < count) {
            long left = deadline - System.nanoTime();
            SseEvent event = events.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("received " + found.size() + " of " + count + " '" + name + "' events within "
                        + timeout);
            }
            if (event.name().equals(name)) {
                found.add(event);
            }
        }
        return found;
    }

    /** Bytes of the body received so far as they came over the wire (compressed, if it is), without chunk framing. */
    public long bodyBytes() {
        return bodyBytes.get();
    }

    /** Whether a gzip-compressed stream ended with a complete body (its trailer checked). */
    public boolean gzipComplete() {
        return gzip != null && gzip.isComplete();
    }

    /** Items that have arrived and not been taken yet. */
    public List<SseEvent> drainReceived() {
        List<SseEvent> received = new ArrayList<>();
        events.drainTo(received);
        return received;
    }

    /** Waits for the server to end the response; true if it did. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean hasEnded() {
        return ended.getCount() == 0;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void readBody() {
        try {
            if ("gzip".equalsIgnoreCase(header("content-encoding"))) {
                gzip = new GzipStreamDecoder();
            }
            boolean chunked = "chunked".equalsIgnoreCase(header("transfer-encoding"));
            SseParser parser = new SseParser(events::add);
            if (chunked) {
                while (true) {
                    // The CRLF that ends a chunk may only arrive with the next one (Jetty sends it so).
                    String sizeLine = readLine(in);
                    if (sizeLine.isEmpty()) {
                        sizeLine = readLine(in);
                    }
                    int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                    if (size == 0) {
                        break;
                    }
                    byte[] chunk = in.readNBytes(size);
                    if (chunk.length < size) {
                        break;
                    }
                    accept(parser, chunk);
                }
            } else if (header("content-length") != null) {
                accept(parser, in.readNBytes(Integer.parseInt(header("content-length"))));
            } else {
                byte[] buffer = new byte[8192];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    accept(parser, java.util.Arrays.copyOf(buffer, n));
                }
            }
        } catch (IOException | RuntimeException closed) {
            // the socket was closed by the test or the server
        } finally {
            if (gzip != null) {
                gzip.close();
            }
            ended.countDown();
        }
    }

    private void accept(SseParser parser, byte[] received) throws IOException {
        bodyBytes.addAndGet(received.length);
        byte[] bytes = gzip == null ? received : gzip.feed(received);
        String text = new String(bytes, StandardCharsets.UTF_8);
        synchronized (raw) {
            raw.append(text);
        }
        if (status == 200) {
            parser.feed(text);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
