package io.hermes.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Locale;

/**
 * One SSE stream: a non-blocking socket, the HTTP head, the chunked decoder and the SSE parser, and what
 * this stream received. Owned by exactly one {@link EventLoop} thread; never touched by another while
 * the loop runs.
 */
final class SseClient implements SseListener {
    private enum Phase { WAITING, CONNECTING, HEAD, STREAMING, ENDED, FAILED }

    /** The receive buffer of a stalled client: small, so the server sees the stall within a run. */
    static final int STALLED_RECEIVE_BUFFER = 4096;

    private final InetSocketAddress server;
    private final SourcePorts source;
    private final ByteBuffer request;
    private final LoopMetrics metrics;
    private final StreamDialect dialect;
    private final boolean stalls;
    private final ResponseHead head = new ResponseHead();
    private final SseParser parser = new SseParser(this);
    private final SeqTracker seqs = new SeqTracker();
    private final ByteSink toParser = parser::feed;

    private Phase phase = Phase.WAITING;
    private SocketChannel channel;
    private ChunkedDecoder chunked;
    private boolean connectedEventSeen;
    private long startNanos;
    private String failure;
    private String endReason;
    /** When the selector pass that read these bytes began; its events share it, so parsing is not counted. */
    private long readMicros;
    private SelectionKey key;
    /** A stalled client being read again at the end of the run, only to learn whether the server closed it. */
    private boolean draining;
    private boolean cutOff;

    /**
     * @param stalls when true, the client stops reading as soon as it is connected (a consumer that hangs)
     */
    SseClient(InetSocketAddress server, SourcePorts source, byte[] request, LoopMetrics metrics,
            StreamDialect dialect, boolean stalls) {
        this.server = server;
        this.source = source;
        this.request = ByteBuffer.wrap(request);
        this.metrics = metrics;
        this.dialect = dialect;
        this.stalls = stalls;
    }

    void start(Selector selector) {
        startNanos = System.nanoTime();
        phase = Phase.CONNECTING;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (stalls) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, STALLED_RECEIVE_BUFFER);
            }
            if (source != null) {
                source.bind(channel);
            }
            key = channel.register(selector, 0, this);
            if (channel.connect(server)) {
                metrics.tcpConnectMicros.recordValue((System.nanoTime() - startNanos) / 1_000);
                sendRequest(key);
            } else {
                key.interestOps(SelectionKey.OP_CONNECT);
            }
        } catch (IOException | RuntimeException failed) {
            fail("connect: " + describe(failed));
        }
    }

    void onConnectable(SelectionKey key) throws IOException {
        channel.finishConnect();
        metrics.tcpConnectMicros.recordValue((System.nanoTime() - startNanos) / 1_000);
        sendRequest(key);
    }

    void onWritable(SelectionKey key) throws IOException {
        channel.write(request);
        if (!request.hasRemaining()) {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    void onReadable(ByteBuffer scratch, long nowMicros) throws IOException {
        scratch.clear();
        int n;
        try {
            n = channel.read(scratch);
        } catch (IOException reset) {
            if (draining) {
                cutOff = true;
            }
            throw reset;
        }
        if (n < 0) {
            cutOff = draining;
            streamEnded("server closed the connection");
            return;
        }
        if (draining) {
            return;
        }
        metrics.bytesRead += n;
        readMicros = nowMicros;
        byte[] bytes = scratch.array();
        int offset = 0;
        if (phase == Phase.HEAD) {
            offset = head.feed(bytes, 0, n);
            if (!head.isComplete()) {
                return;
            }
            if (!acceptHead()) {
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
                    streamEnded("server ended the response");
                }
            }
        }
    }

    /** Called by the loop for a stream still waiting for its {@code connected} event. */
    void timeOutIfStuck(long nowNanos, long timeoutNanos) {
        if (isPending() && nowNanos - startNanos > timeoutNanos) {
            fail("timeout before the connected event");
        }
    }

    /** Fails a stream that broke on an exception; one that had connected counts as ended, not failed. */
    void broke(Exception cause) {
        if (connectedEventSeen) {
            end("error: " + describe(cause));
        } else {
            fail(describe(cause));
        }
    }

    /**
     * A stalled client reads again, discarding what it reads, so that the server's close (if it cut the
     * client off) shows as end of stream or a reset. Runs on the loop's thread.
     */
    void startDraining() {
        if (stalls && key != null && key.isValid()) {
            draining = true;
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    boolean stalls() {
        return stalls;
    }

    /** Whether this stalled client found its connection closed by the server when it read again. */
    boolean cutOff() {
        return cutOff;
    }

    boolean isOpen() {
        return phase == Phase.STREAMING || phase == Phase.HEAD || phase == Phase.CONNECTING;
    }

    /** Closes the socket at the end of the run; a stream still open then was live throughout. */
    void close() {
        closeChannel();
    }

    boolean isPending() {
        return (phase == Phase.CONNECTING || phase == Phase.HEAD || phase == Phase.STREAMING) && !connectedEventSeen;
    }

    boolean connected() {
        return connectedEventSeen;
    }

    String failure() {
        return failure;
    }

    /** Why a connected stream ended before the run did, or null if it stayed open. */
    String endReason() {
        return endReason;
    }

    SeqTracker seqs() {
        return seqs;
    }

    @Override
    public void onEvent(String lastEventId, String type, String data) {
        if (type.equals(dialect.eventName())) {
            benchEvent(data);
            return;
        }
        switch (type) {
            case "connected" -> connectedEvent();
            case "heartbeat" -> metrics.heartbeats++;
            default -> metrics.otherEvents++;
        }
    }

    @Override
    public void onComment(String text) {
        metrics.comments++;
    }

    private void benchEvent(String data) {
        metrics.queueUpdates++;
        BenchPayload payload = BenchPayload.parse(data);
        if (payload == null) {
            metrics.foreignQueueUpdates++;
            return;
        }
        if (seqs.record(payload.seq())) {
            metrics.distinctDeliveries.incrementAndGet();
            // A clock step could make this negative; zero is the honest floor, not an error.
            metrics.latencyMicros.recordValue(Math.max(0, readMicros - payload.sentAtMicros()));
        }
    }

    private void connectedEvent() {
        if (!connectedEventSeen) {
            connectedEventSeen = true;
            metrics.connectedMicros.recordValue((System.nanoTime() - startNanos) / 1_000);
            metrics.connected.incrementAndGet();
            if (stalls) {
                key.interestOps(0);
            }
        }
    }

    private void sendRequest(SelectionKey key) throws IOException {
        phase = Phase.HEAD;
        channel.write(request);
        key.interestOps(request.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    private boolean acceptHead() {
        metrics.recordHeaders(startNanos, (System.nanoTime() - startNanos) / 1_000);
        if (head.status() != 200) {
            fail("status " + head.status());
            return false;
        }
        String type = head.header("content-type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            fail("content-type " + type);
            return false;
        }
        chunked = head.isChunked() ? new ChunkedDecoder() : null;
        phase = Phase.STREAMING;
        if (dialect.connectedOnHead()) {
            connectedEvent();
        }
        return true;
    }

    /** The response ended: normal for a connected stream (counted as ended), a failure before that. */
    private void streamEnded(String how) {
        if (connectedEventSeen) {
            end(how);
        } else {
            fail(how + (phase == Phase.HEAD ? " before the response head" : " before the connected event"));
        }
    }

    private void fail(String reason) {
        if (phase == Phase.FAILED || phase == Phase.ENDED) {
            return;
        }
        phase = Phase.FAILED;
        failure = reason;
        metrics.failed.incrementAndGet();
        closeChannel();
    }

    private void end(String reason) {
        if (phase == Phase.ENDED || phase == Phase.FAILED) {
            return;
        }
        phase = Phase.ENDED;
        endReason = reason;
        closeChannel();
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close(); // also cancels its selection key
            } catch (IOException ignored) {
                // closing is best effort; the run is over for this stream either way
            }
        }
    }

    private static String describe(Exception failure) {
        String message = failure.getMessage();
        return message == null ? failure.getClass().getSimpleName() : message;
    }
}
