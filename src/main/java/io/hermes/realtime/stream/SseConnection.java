package io.hermes.realtime.stream;

import io.hermes.realtime.bus.EventId;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One open event stream as the rest of the package sees it: who it is (id, endpoint, subscription), the one
 * way in for frames ({@link #offer}), and two ways to end: {@link #end} after the frames already queued,
 * {@link #close} now. Frames wait in a bounded {@link FrameQueue}, behind a {@link ProgressThrottle} when the
 * client asked for one, and its {@link StreamWriter} writes them to the socket.
 *
 * <p><b>Threads.</b> Any thread may offer, end or close (the subscriber, the clock, a revocation, shutdown,
 * the container's callbacks); none of them waits for the writer or touches the socket.
 *
 * <p><b>Closing.</b> Every way a stream ends (write failure, container callbacks, overflow, stall, lifetime,
 * revocation, shutdown) goes through {@link #close}, which is idempotent: the first call removes the stream
 * from the registry, drops its timers and queue, and has the writer complete the response and free its
 * deflater.
 */
final class SseConnection implements AsyncListener {
    private static final System.Logger LOG = System.getLogger(SseConnection.class.getName());

    private final String id;
    private final String endpoint;
    private final Subscription subscription;
    private final FrameQueue frames;
    private final StreamWriter writer;
    /** Thins download_progress steps (?progress_interval_ms=), or {@code null} when every step is sent. */
    private final ProgressThrottle throttle;
    /** How a dedicated stream renames its events and when it ends, or {@code null} to pass them as published. */
    private final Relay relay;
    private final Consumer<SseConnection> onClose;
    private final StreamMetrics metrics;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** When the request that opened it arrived (about), for the duration observed at its close. */
    private final long createdAtNanos = System.nanoTime();
    /** Whether it went live: only such streams count in the duration. */
    private volatile boolean live;
    private volatile String closeReason;
    private volatile Future<?> deadline;

    /**
     * How a stream is set up: the same for every stream of an instance but the progress interval.
     *
     * @param queueCapacity          frames queued before the client is cut off ({@code HERMES_SSE_CLIENT_BUFFER})
     * @param progressIntervalMillis the least gap between two progress steps of one download; 0 sends every step
     * @param writers                the writer threads that run drains
     * @param progressTimer          releases progress steps held back (the stream clock)
     * @param metrics                the stream layer's metrics
     * @param onClose                called once, by the close that ends the stream: the registry's removal
     */
    record Options(int queueCapacity, long progressIntervalMillis, Executor writers,
            ProgressThrottle.Timer progressTimer, StreamMetrics metrics, Consumer<SseConnection> onClose) {

        /** These options with another progress interval. */
        Options withProgressInterval(long millis) {
            return new Options(queueCapacity, millis, writers, progressTimer, metrics, onClose);
        }
    }

    /** A stream whose frames go to {@code output}, which it then owns and frees when it ends. */
    SseConnection(String id, String endpoint, Subscription subscription, AsyncContext async, FrameOutput output,
            Options options) {
        this(id, endpoint, subscription, async, output, options, null);
    }

    /** As above, passing events on through {@code relay} (may be {@code null}). */
    SseConnection(String id, String endpoint, Subscription subscription, AsyncContext async, FrameOutput output,
            Options options, Relay relay) {
        this.id = id;
        this.relay = relay;
        this.endpoint = endpoint;
        this.subscription = subscription;
        this.onClose = options.onClose();
        this.metrics = options.metrics();
        this.frames = new FrameQueue(options.queueCapacity());
        this.writer = new StreamWriter(this, frames, output, async, options.writers(), metrics);
        this.throttle = options.progressIntervalMillis() <= 0 ? null
                : new ProgressThrottle(options.progressIntervalMillis(), options.progressTimer(), System::nanoTime,
                        this::enqueue, metrics);
    }

    public String id() {
        return id;
    }

    /** The endpoint that opened it: {@code stream}, {@code downloads}, {@code queue} … */
    String endpoint() {
        return endpoint;
    }

    Subscription subscription() {
        return subscription;
    }

    boolean isClosed() {
        return closed.get();
    }

    String closeReason() {
        return closeReason;
    }

    /** The stream's end of life, cancelled if it closes first. */
    void setDeadline(Future<?> deadline) {
        this.deadline = deadline;
        if (closed.get()) {
            deadline.cancel(false);
        }
    }

    /** Queues a frame for the writer; never blocks. A client whose queue is full is cut off. */
    void offer(SseFrame frame) {
        if (relay != null) {
            SseFrame shown = relay.pass(frame);
            enqueue(shown);
            if (relay.isLast(shown)) {
                end(null);
            }
            return;
        }
        if (throttle != null) {
            throttle.offer(frame); // which enqueues it now, later, or not at all
            return;
        }
        enqueue(frame);
    }

    private void enqueue(SseFrame frame) {
        if (closed.get()) {
            return;
        }
        if (!frames.offer(frame)) {
            cutOff();
            return;
        }
        writer.schedule();
    }

    /** The client fell a whole queue behind: it is closed, and will reconnect and resume with Last-Event-ID. */
    private void cutOff() {
        if (close("client buffer of " + frames.capacity() + " events overflowed")) {
            metrics.slowClientCut();
            LOG.log(Level.INFO, "Stream {0} ({1}) cut off: its client fell {2} frames behind; it will resume with"
                    + " Last-Event-ID", id, endpoint, frames.capacity());
        }
    }

    /**
     * Ends the stream cleanly after the frames already queued, with {@code last} (if not {@code null}) written
     * before the end; a compressed stream's body then ends with its gzip trailer.
     */
    void end(SseFrame last) {
        if (closed.get()) {
            return;
        }
        if (last != null) {
            frames.add(last);
        }
        frames.add(SseFrame.END);
        writer.schedule();
    }

    /**
     * Ends the stream now and removes it from the registry. Idempotent and safe from any thread: the writer
     * completes the response on one of its threads, so the caller never waits. Returns whether this call
     * closed it (false when it was already closed).
     */
    boolean close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        closeReason = reason;
        if (throttle != null) {
            throttle.close();
        }
        Future<?> timer = deadline;
        if (timer != null) {
            timer.cancel(false);
        }
        frames.clear();
        onClose.accept(this);
        if (live) {
            metrics.ended(System.nanoTime() - createdAtNanos);
        }
        LOG.log(Level.DEBUG, "Stream {0} ({1}) closed: {2}", id, endpoint, reason);
        writer.completeSoon();
        return true;
    }

    /**
     * Called by the clock once per heartbeat interval: closes the stream if its client took nothing for a
     * whole interval while a write waited (it stopped reading, or vanished, and its buffers are full). A
     * client that reads, however slowly, stays.
     */
    void closeIfStalled() {
        if (writer.stalled()) {
            close("client stopped reading: a write waited a whole heartbeat interval");
        }
    }

    /** Frames offered and not yet taken by the writer. */
    int queuedFrames() {
        return frames.size();
    }

    // The handshake's side: blocking writes before the stream goes live.

    /** A blocking write, by the handshake only, before {@link #goLive}. */
    void writeBlocking(SseFrame frame) throws IOException {
        writer.writeBlocking(frame);
    }

    void flushBlocking() throws IOException {
        writer.flushBlocking();
    }

    /**
     * Switches from the handshake's blocking writes to the non-blocking writer. Queued frames whose id is not
     * after {@code replayedUpTo} were already sent by the replay and are dropped.
     */
    void goLive(EventId replayedUpTo) {
        live = true;
        writer.goLive(replayedUpTo);
    }

    /** Called by the handshake if it fails before going live. */
    void abortHandshake(String reason) {
        close(reason);
        writer.abortHandshake();
    }

    // The container's callbacks. Containers disagree on which of them fire; each closes the stream.

    @Override
    public void onComplete(AsyncEvent event) {
        writer.completedByContainer();
        close("completed");
        writer.awaitDrain();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        close("container async timeout");
        writer.awaitDrain();
    }

    @Override
    public void onError(AsyncEvent event) {
        close("container error: " + event.getThrowable());
        writer.awaitDrain();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }
}
