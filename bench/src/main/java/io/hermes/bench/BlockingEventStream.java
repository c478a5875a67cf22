package io.hermes.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * One EventSource-like stream on its own connection and thread: sends the GET, reads the response head,
 * removes chunked framing, decodes gzip when the server compressed the stream ({@code Content-Encoding:
 * gzip}, when the request asked with {@code Accept-Encoding}) and parses the events, counting every byte
 * read on the socket under its label, so a compressed stream counts its compressed bytes. Events carry the
 * moment the read that completed them returned (epoch µs).
 */
final class BlockingEventStream {
    /** What the stream reports, all on its own thread. */
    interface Handler {
        /** The response head arrived; a status other than 200 ends the stream right after. */
        void onOpen(BlockingEventStream stream, int status);

        /** A dispatched event; {@code lastEventId} is the stream's last id as EventSource keeps it. */
        void onEvent(BlockingEventStream stream, String lastEventId, String type, String data, long atMicros);

        /** A {@code retry:} field. */
        default void onRetry(BlockingEventStream stream, long millis) {
        }

        /** The stream ended: the server closed it, it failed, or {@link #close()} was called. */
        void onEnd(BlockingEventStream stream, String reason);
    }

    private final WireClient client;
    private final String target;
    private final Map<String, String> headers;
    private final TrafficTally tally;
    private final String label;
    private final Handler handler;
    private volatile WireClient.Connection connection;
    private volatile boolean closing;
    private final long openedNanos = System.nanoTime();
    /** When the read being parsed returned; only the stream's thread touches it. */
    private long readMicros;

    BlockingEventStream(WireClient client, String target, Map<String, String> headers, TrafficTally tally, String label,
            Handler handler) {
        this.client = client;
        this.target = target;
        this.headers = headers;
        this.tally = tally;
        this.label = label;
        this.handler = handler;
    }

    /** Opens the connection and reads it on a new thread named {@code name}. */
    void start(String name) {
        Thread thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    long ageMillis() {
        return (System.nanoTime() - openedNanos) / 1_000_000;
    }

    /** Closes the connection; the reading thread then reports {@code onEnd(closed)}. Idempotent. */
    void close() {
        closing = true;
        WireClient.Connection open = connection;
        if (open != null) {
            open.close();
        }
    }

    private void run() {
        String reason = "server closed the stream";
        try {
            connection = client.openDedicated();
            if (closing) {
                connection.close();
                handler.onEnd(this, "closed");
                return;
            }
            connection.setReadTimeout(0);
            byte[] request = WireClient.encode("GET", target, client.hostHeader(), headers, null);
            connection.write(request);
            tally.streamOpened(label, request.length);
            reason = read(connection.input());
        } catch (IOException | RuntimeException failed) {
            reason = closing ? "closed" : "failed: " + failed;
        } finally {
            WireClient.Connection open = connection;
            if (open != null) {
                open.close();
            }
        }
        handler.onEnd(this, closing ? "closed" : reason);
    }

    private String read(InputStream in) throws IOException {
        ResponseHead head = new ResponseHead();
        ChunkedDecoder chunked = null;
        SseParser parser = new SseParser(new SseListener() {
            @Override
            public void onEvent(String lastEventId, String type, String data) {
                handler.onEvent(BlockingEventStream.this, lastEventId, type, data, readMicros);
            }

            @Override
            public void onRetry(long millis) {
                handler.onRetry(BlockingEventStream.this, millis);
            }
        });
        ByteSink toParser = parser::feed;
        GzipDecoder gzip = null;
        byte[] buffer = new byte[16 * 1024];
        try {
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    return "server closed the stream";
                }
                readMicros = EpochMicros.now();
                tally.streamBytes(label, n);
                int offset = 0;
                if (!head.isComplete()) {
                    offset = head.feed(buffer, 0, n);
                    if (!head.isComplete()) {
                        continue;
                    }
                    tally.streamStatus(label, head.status());
                    handler.onOpen(this, head.status());
                    if (head.status() != 200) {
                        return "status " + head.status();
                    }
                    chunked = head.isChunked() ? new ChunkedDecoder() : null;
                    if ("gzip".equalsIgnoreCase(head.header("content-encoding"))) {
                        gzip = new GzipDecoder(parser::feed);
                        toParser = gzip;
                    }
                }
                if (chunked != null) {
                    chunked.feed(buffer, offset, n - offset, toParser);
                    if (chunked.isDone()) {
                        return gzip == null || gzip.isDone() ? "server ended the stream"
                                : "server ended the stream (gzip body cut short)";
                    }
                } else {
                    toParser.accept(buffer, offset, n - offset);
                }
            }
        } finally {
            if (gzip != null) {
                gzip.close();
            }
        }
    }
}
