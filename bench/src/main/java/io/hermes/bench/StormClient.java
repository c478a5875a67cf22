package io.hermes.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * One SSE stream that reconnects as an {@code EventSource} does: when its stream ends, or an attempt to open
 * one fails, it waits the last {@code retry:} the server sent (or the browser-like default) and opens another,
 * sending the last event id it received as {@code Last-Event-ID}. A stream is <em>live</em> once it has its
 * {@code connected} event (Hermes) or its response head (Nchan, which sends no opening event).
 *
 * <p>Owned by one {@link StormLoop} thread. It keeps the span of every live connection (from its
 * {@code connected} event to its end, in epoch microseconds), from which {@link ReconnectStorm} works out,
 * once the loops have stopped, when each client dropped and came back. The few fields the coordinating
 * thread reads during the run are volatile.
 *
 * <p>Unlike a browser's EventSource, which gives up for good on an answer other than 200, this client tries
 * again after the same delay (a page would recreate its EventSource): a 503 from a server that is stopping
 * or starting must not end a client's part in the run.
 */
final class StormClient implements SseListener {
    private enum Phase { WAITING, CONNECTING, HEAD, STREAMING }

    final int index;
    private final InetSocketAddress server;
    private final SourcePorts source;
    /** The request up to its headers, without the blank line that ends it (Last-Event-ID may follow). */
    private final byte[] requestStart;
    private final StormLoop.Metrics metrics;
    private final StreamDialect dialect;
    private final StormClock clock;
    private final SeqTracker seqs = new SeqTracker();

    private Phase phase = Phase.WAITING;
    private SocketChannel channel;
    private SelectionKey key;
    private ByteBuffer request;
    private ResponseHead head;
    private ChunkedDecoder chunked;
    private SseParser parser;
    private final ByteSink toParser = (bytes, offset, length) -> parser.feed(bytes, offset, length);
    private long attemptNanos;
    private boolean liveNow;
    private boolean everSettled;

    private String lastEventId = "";
    private long retryMillis;
    /** Spans of the live connections: [live at, ended at] in epoch µs; 0 as the end while still open. */
    private long[] spans = new long[8];
    private int spanCount;
    /** The retry delay this client applied after each live connection ended, in order. */
    private long[] retriesAfterEnd = new long[4];
    private int retryCount;
    private int attempts;
    private int attemptsAfterStop;
    /** Attempts after the first live connection that had no event id to resume from. */
    private int resumesWithoutId;
    private int resyncs;
    private volatile long firstLiveMicros;
    private boolean countedBack;

    StormClient(int index, InetSocketAddress server, SourcePorts source, byte[] requestStart, StormLoop.Metrics metrics,
            StreamDialect dialect, StormClock clock, long defaultRetryMillis) {
        this.index = index;
        this.server = server;
        this.source = source;
        this.requestStart = requestStart;
        this.metrics = metrics;
        this.dialect = dialect;
        this.clock = clock;
        this.retryMillis = defaultRetryMillis;
    }

    /** Opens a connection now; called by the loop for the first attempt and whenever a retry falls due. */
    void attempt(Selector selector) {
        attemptNanos = System.nanoTime();
        attempts++;
        if (clock.stopMicros() > 0) {
            attemptsAfterStop++;
            metrics.attemptsAfterStop++;
        }
        if (firstLiveMicros != 0 && lastEventId.isEmpty()) {
            resumesWithoutId++;
        }
        phase = Phase.CONNECTING;
        head = new ResponseHead();
        chunked = null;
        parser = new SseParser(this, lastEventId);
        request = ByteBuffer.wrap(request());
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (source != null) {
                source.bind(channel);
            }
            key = channel.register(selector, 0, this);
            if (channel.connect(server)) {
                sendRequest();
            } else {
                key.interestOps(SelectionKey.OP_CONNECT);
            }
        } catch (IOException | RuntimeException failed) {
            attemptFailed("connect: " + describe(failed));
        }
    }

    void onConnectable() throws IOException {
        channel.finishConnect();
        sendRequest();
    }

    void onWritable() throws IOException {
        channel.write(request);
        if (!request.hasRemaining()) {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    void onReadable(ByteBuffer scratch) throws IOException {
        scratch.clear();
        int n = channel.read(scratch);
        if (n < 0) {
            ended("server closed the connection");
            return;
        }
        metrics.bytesRead += n;
        byte[] bytes = scratch.array();
        int offset = 0;
        if (phase == Phase.HEAD) {
            offset = head.feed(bytes, 0, n);
            if (!head.isComplete() || !acceptHead()) {
                return;
            }
        }
        int left = n - offset;
        if (left > 0 && phase == Phase.STREAMING) {
            if (chunked == null) {
                parser.feed(bytes, offset, left);
            } else {
                chunked.feed(bytes, offset, left, toParser);
                if (chunked.isDone()) {
                    ended("server ended the response");
                }
            }
        }
    }

    /** A connection that broke on an exception: an attempt that failed, or a live stream that ended. */
    void broke(Exception cause) {
        ended("error: " + describe(cause));
    }

    /** Gives up on an attempt that has not gone live within the timeout, and tries again later. */
    void timeOutIfStuck(long nowNanos, long timeoutNanos) {
        if (phase != Phase.WAITING && !liveNow && nowNanos - attemptNanos > timeoutNanos) {
            attemptFailed("timeout before the stream was live");
        }
    }

    /** Closes the socket at the end of the run; a live stream's span stays open (its end is 0). */
    void close() {
        closeChannel();
    }

    @Override
    public void onEvent(String id, String type, String data) {
        lastEventId = id;
        if (type.equals(dialect.eventName())) {
            BenchPayload payload = BenchPayload.parse(data);
            if (payload == null) {
                metrics.foreignEvents++;
            } else if (seqs.record(payload.seq())) {
                metrics.distinctDeliveries.incrementAndGet();
            }
            return;
        }
        switch (type) {
            case "connected" -> goLive();
            case "resync" -> resyncs++;
            default -> metrics.otherEvents++;
        }
    }

    @Override
    public void onRetry(long millis) {
        retryMillis = millis;
    }

    // ---- what the report reads once the loop has stopped (firstLiveMicros also during the run) ----------

    long firstLiveMicros() {
        return firstLiveMicros;
    }

    /** The live connections' spans, {@code [live, end, live, end, …]}; an end of 0 is a stream still open. */
    long[] spans() {
        return Arrays.copyOf(spans, spanCount);
    }

    /** The delay waited before reconnecting after each live connection ended, in the order of the ends. */
    long[] retriesAfterEnd() {
        return Arrays.copyOf(retriesAfterEnd, retryCount);
    }

    int attempts() {
        return attempts;
    }

    int attemptsAfterStop() {
        return attemptsAfterStop;
    }

    int resumesWithoutId() {
        return resumesWithoutId;
    }

    int resyncs() {
        return resyncs;
    }

    SeqTracker seqs() {
        return seqs;
    }

    // ---- internals ---------------------------------------------------------------------------------

    private byte[] request() {
        byte[] resume = lastEventId.isEmpty() ? new byte[0]
                : ("Last-Event-ID: " + lastEventId + "\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] whole = Arrays.copyOf(requestStart, requestStart.length + resume.length + 2);
        System.arraycopy(resume, 0, whole, requestStart.length, resume.length);
        whole[whole.length - 2] = '\r';
        whole[whole.length - 1] = '\n';
        return whole;
    }

    private void sendRequest() throws IOException {
        phase = Phase.HEAD;
        channel.write(request);
        key.interestOps(request.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    private boolean acceptHead() {
        if (head.status() != 200) {
            attemptFailed("status " + head.status());
            return false;
        }
        String type = head.header("content-type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            attemptFailed("content-type " + type);
            return false;
        }
        chunked = head.isChunked() ? new ChunkedDecoder() : null;
        phase = Phase.STREAMING;
        if (dialect.connectedOnHead()) {
            goLive();
        }
        return true;
    }

    private void goLive() {
        if (liveNow) {
            return;
        }
        liveNow = true;
        long now = EpochMicros.now();
        if (spanCount + 2 > spans.length) {
            spans = Arrays.copyOf(spans, spans.length * 2);
        }
        long previousEnd = spanCount > 0 ? spans[spanCount - 1] : 0;
        spans[spanCount++] = now;
        spans[spanCount++] = 0;
        if (firstLiveMicros == 0) {
            firstLiveMicros = now;
            metrics.everLive.incrementAndGet();
        }
        settle();
        long stop = clock.stopMicros();
        if (!countedBack && stop > 0 && previousEnd >= stop) {
            countedBack = true;
            metrics.back.incrementAndGet();
        }
    }

    /** The response ended or broke: a live stream's end, or a failed attempt. Either way, retry later. */
    private void ended(String how) {
        if (liveNow) {
            closeChannel();
            liveNow = false;
            spans[spanCount - 1] = EpochMicros.now();
            if (retryCount == retriesAfterEnd.length) {
                retriesAfterEnd = Arrays.copyOf(retriesAfterEnd, retryCount * 2);
            }
            retriesAfterEnd[retryCount++] = retryMillis;
            metrics.count(metrics.endReasons, how);
            phase = Phase.WAITING;
            metrics.schedule(this, retryMillis);
        } else {
            attemptFailed(phase == Phase.HEAD ? how + " before the response head" : how + " before the stream was live");
        }
    }

    private void attemptFailed(String reason) {
        if (phase == Phase.WAITING) {
            return;
        }
        closeChannel();
        phase = Phase.WAITING;
        metrics.count(clock.stopMicros() > 0 ? metrics.failuresAfterStop : metrics.failuresBeforeStop, reason);
        settle();
        metrics.schedule(this, retryMillis);
    }

    /** The first attempt's outcome (live or failed) frees a place in the opening ramp. */
    private void settle() {
        if (!everSettled) {
            everSettled = true;
            metrics.settled++;
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close(); // also cancels its key
            } catch (IOException ignored) {
                // best effort: this connection is over either way
            }
            channel = null;
        }
    }

    private static String describe(Exception failure) {
        String message = failure.getMessage();
        return message == null ? failure.getClass().getSimpleName() : message;
    }
}
