package io.hermes.realtime.stream;

import io.hermes.realtime.bus.EventId;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One open event stream: a bounded queue of pre-encoded frames and a single non-blocking writer.
 *
 * <p><b>Threads.</b> Any thread may {@link #offer} (the subscriber, the clock); offering never blocks and
 * never touches the socket. Writing happens in {@link #drain}, which runs on a {@code hermes-sse-writer}
 * thread or on the container thread that calls {@link #onWritePossible}; an atomic ownership flag lets only
 * one drain run at a time, and it keeps ownership while the socket is not ready, because the container
 * will call {@code onWritePossible} once it is.
 *
 * <p><b>Lifecycle.</b> The handshake writes the preamble and replay with blocking writes while frames
 * queue up behind it, then calls {@link #goLive}. Every way a stream ends (write failure, container
 * callbacks, overflow, timeout, shutdown) goes through the idempotent {@link #close}.
 *
 * <p><b>Compression.</b> A stream opened with gzip ({@link GzipFrames}) is written by {@link #drainCompressed},
 * a twin of {@link #drain}, so an uncompressed stream runs exactly the loop it always ran: no test of the
 * encoding per frame. Every frame of a compressed stream, heartbeats and pings included, goes through its
 * compressor; each batch ends with a sync flush, and a clean end writes the gzip trailer. The deflater is
 * freed when the response is completed, which every way of closing leads to.
 */
public final class SseConnection implements WriteListener, AsyncListener {
    private static final System.Logger LOG = System.getLogger(SseConnection.class.getName());
    /** Compressed output is written once this much is pending (the response buffer's size), else per batch. */
    static final int COMPRESSED_WRITE_BYTES = StreamHandshake.RESPONSE_BUFFER_BYTES;

    private final String id;
    private final String endpoint;
    private final Subscription subscription;
    private final AsyncContext async;
    private final ServletOutputStream out;
    private final int capacity;
    private final Executor writers;
    private final Consumer<SseConnection> onClose;
    private final StreamMetrics metrics;
    /** The stream's compressor, or {@code null} for an uncompressed stream. */
    private final GzipFrames gzip;
    /** Thins download_progress steps (?progress_interval_ms=), or {@code null} when every step is sent. */
    private final ProgressThrottle throttle;

    private final Queue<SseFrame> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    /** True while some thread owns the writer: the handshake until goLive, then one drain at a time. */
    private final AtomicBoolean drainOwned = new AtomicBoolean(true);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean completed = new AtomicBoolean();

    // Guarded by this: the writer's state, only touched under the monitor by the single owner.
    private boolean live;
    private boolean dirty;
    private EventId replayedUpTo;
    /** A compressed stream wrote its trailer and ends once the container took it. */
    private boolean ending;

    /** One Runnable for every drain this stream schedules: nothing is allocated per event to schedule one. */
    private final Runnable drainTask;

    private volatile String closeReason;
    private volatile Future<?> deadline;

    // Stall detection: the writer sets these, the clock thread reads them once per heartbeat.
    /** True while a write waits for the socket (the drain returned on {@code !isReady()}). */
    private volatile boolean waitingForSocket;
    /** Counts the times the socket took data: each write, and each onWritePossible after a wait. */
    private volatile long socketProgress;
    // Only the clock thread touches these: what it saw at the previous heartbeat.
    private boolean waitingAtLastCheck;
    private long progressAtLastCheck;

    SseConnection(String id, String endpoint, Subscription subscription, AsyncContext async, ServletOutputStream out,
            int capacity, Executor writers, Consumer<SseConnection> onClose, StreamMetrics metrics) {
        this(id, endpoint, subscription, async, out, capacity, writers, onClose, metrics, null, 0, null);
    }

    /**
     * A stream whose frames go through {@code gzip}, which it then owns and ends ({@code null}: uncompressed),
     * and whose download_progress steps are thinned to one per download per {@code progressIntervalMillis}
     * on {@code progressTimer} (0: every step).
     */
    SseConnection(String id, String endpoint, Subscription subscription, AsyncContext async, ServletOutputStream out,
            int capacity, Executor writers, Consumer<SseConnection> onClose, StreamMetrics metrics, GzipFrames gzip,
            long progressIntervalMillis, ProgressThrottle.Timer progressTimer) {
        this.id = id;
        this.endpoint = endpoint;
        this.subscription = subscription;
        this.async = async;
        this.out = out;
        this.capacity = capacity;
        this.writers = writers;
        this.onClose = onClose;
        this.metrics = metrics;
        this.gzip = gzip;
        this.drainTask = gzip == null ? this::drain : this::drainCompressed;
        this.throttle = progressIntervalMillis <= 0 ? null
                : new ProgressThrottle(progressIntervalMillis, progressTimer, System::nanoTime, this::enqueue, metrics);
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

    void setDeadline(Future<?> deadline) {
        this.deadline = deadline;
        if (closed.get()) {
            deadline.cancel(false);
        }
    }

    /**
     * Queues a frame for writing. A client whose queue is full is cut off (it will reconnect and resume
     * with Last-Event-ID), so one slow reader never holds memory or delays anyone else.
     */
    void offer(SseFrame frame) {
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
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            if (close("client buffer of " + capacity + " events overflowed")) {
                metrics.slowClientCut();
                LOG.log(Level.INFO, "Stream {0} ({1}) cut off: its client fell {2} frames behind; it will resume with"
                        + " Last-Event-ID", id, endpoint, capacity);
            }
            return;
        }
        queue.add(frame);
        scheduleDrain();
    }

    /** Ends the stream cleanly after the frames already queued, with {@code last} written before the end. */
    void end(SseFrame last) {
        if (closed.get()) {
            return;
        }
        if (last != null) {
            queued.incrementAndGet();
            queue.add(last);
        }
        queued.incrementAndGet();
        queue.add(SseFrame.END);
        scheduleDrain();
    }

    /** Frames offered and not yet taken by the writer. */
    int queuedFrames() {
        return queued.get();
    }

    /** Blocking write, used by the handshake only, before {@link #goLive}. */
    void writeBlocking(SseFrame frame) throws IOException {
        if (gzip == null) {
            out.write(frame.bytes());
        } else {
            gzip.add(frame.bytes());
            if (gzip.pending() >= COMPRESSED_WRITE_BYTES) {
                metrics.compressedWritten(gzip.writeTo(out));
            }
        }
        metrics.writtenDuringHandshake(frame);
    }

    void flushBlocking() throws IOException {
        if (gzip != null) {
            gzip.syncFlush();
            metrics.compressedWritten(gzip.writeTo(out));
        }
        out.flush();
    }

    /** Whether this stream is gzip-compressed. */
    boolean isCompressed() {
        return gzip != null;
    }

    /**
     * Switches from the handshake's blocking writes to the non-blocking writer. Queued frames whose id is
     * not after {@code replayedUpTo} were already sent by the replay and are dropped.
     */
    synchronized void goLive(EventId replayedUpTo) {
        this.replayedUpTo = replayedUpTo;
        this.live = true;
        if (closed.get()) {
            completeLocked();
            return;
        }
        out.setWriteListener(this); // the container calls onWritePossible, which starts the first drain
    }

    private void scheduleDrain() {
        if (drainOwned.compareAndSet(false, true)) {
            try {
                writers.execute(drainTask);
            } catch (RuntimeException rejected) { // the writer pool is shutting down
                close("server shutting down");
            }
        }
    }

    @Override
    public void onWritePossible() {
        if (waitingForSocket) {
            waitingForSocket = false;
            socketProgress++; // the write that waited has gone out
        }
        if (gzip == null) {
            drain();
        } else {
            drainCompressed();
        }
    }

    /**
     * Called by the clock once per heartbeat interval. Closes a stream whose socket has taken nothing for
     * a whole interval while a write was waiting: the client stopped reading, or vanished without a FIN or
     * RST, and its buffers are full. A client that reads, however slowly, makes progress and stays.
     *
     * <p>What this cannot see: a vanished client whose buffers are not full yet. The kernel accepts small
     * writes (heartbeats) into its send buffer and retransmits them for many minutes ({@code tcp_retries2})
     * before reporting an error; nothing in the Servlet API tells those apart from a client that reads.
     */
    void closeIfStalled() {
        boolean waiting = waitingForSocket;
        long progress = socketProgress;
        if (waiting && waitingAtLastCheck && progress == progressAtLastCheck) {
            close("client stopped reading: a write waited a whole heartbeat interval");
            return;
        }
        waitingAtLastCheck = waiting;
        progressAtLastCheck = progress;
    }

    private synchronized void drain() {
        try {
            while (true) {
                if (closed.get()) {
                    completeLocked();
                    return; // ownership is never released after close, so no drain runs again
                }
                if (!out.isReady()) {
                    waitingForSocket = true;
                    return; // keep ownership: the container will call onWritePossible
                }
                SseFrame frame = queue.poll();
                if (frame == null) {
                    if (dirty) {
                        dirty = false;
                        out.flush();
                        continue;
                    }
                    if (!releaseOrRetake()) {
                        return;
                    }
                    continue;
                }
                queued.decrementAndGet();
                if (frame == SseFrame.END) {
                    close("ended by server");
                    continue;
                }
                EventId frameId = frame.id();
                if (frameId != null && replayedUpTo != null && !frameId.isAfter(replayedUpTo)) {
                    continue; // already sent during the replay
                }
                out.write(frame.bytes());
                metrics.written(frame);
                socketProgress++;
                dirty = true;
            }
        } catch (IOException | RuntimeException failed) {
            close("write failed: " + failed.getClass().getSimpleName());
            completeLocked();
        }
    }

    /**
     * Gives up the writer when the queue ran dry; true when a frame offered in between made this drain take
     * it back (and go on), false when the writer is released or another drain took it.
     */
    private boolean releaseOrRetake() {
        drainOwned.set(false);
        return !queue.isEmpty() && drainOwned.compareAndSet(false, true);
    }

    /**
     * {@link #drain} for a compressed stream: frames go into the compressor, and its output is written when
     * it reaches {@link #COMPRESSED_WRITE_BYTES} or when the queue runs dry, after a sync flush, so every
     * event reaches the client without waiting for the next. Each write follows an {@code isReady()} that
     * returned true, which also means the container has taken the compressor's previous output.
     */
    private synchronized void drainCompressed() {
        try {
            while (true) {
                if (closed.get()) {
                    completeLocked();
                    return;
                }
                if (!out.isReady()) {
                    waitingForSocket = true;
                    return;
                }
                if (ending) {
                    close("ended by server");
                    continue;
                }
                SseFrame frame = queue.poll();
                if (frame == null) {
                    if (gzip.unflushed()) {
                        gzip.syncFlush();
                        writeCompressed();
                        continue;
                    }
                    if (dirty) {
                        dirty = false;
                        out.flush();
                        continue;
                    }
                    if (!releaseOrRetake()) {
                        return;
                    }
                    continue;
                }
                queued.decrementAndGet();
                if (frame == SseFrame.END) {
                    gzip.finish(); // the client's decoder then sees a complete body, not a cut one
                    writeCompressed();
                    ending = true;
                    continue;
                }
                EventId frameId = frame.id();
                if (frameId != null && replayedUpTo != null && !frameId.isAfter(replayedUpTo)) {
                    continue; // already sent during the replay
                }
                gzip.add(frame.bytes());
                metrics.written(frame);
                if (gzip.pending() >= COMPRESSED_WRITE_BYTES) {
                    writeCompressed();
                }
            }
        } catch (IOException | RuntimeException failed) {
            close("write failed: " + failed.getClass().getSimpleName());
            completeLocked();
        }
    }

    private void writeCompressed() throws IOException {
        metrics.compressedWritten(gzip.writeTo(out));
        socketProgress++;
        dirty = true;
    }

    /**
     * Ends the stream now and removes it from the registry. Idempotent and safe from any thread: the
     * response is completed under the writer's monitor, on a writer thread so the caller never waits.
     * Returns whether this call closed it (false when it was already closed).
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
        queue.clear();
        onClose.accept(this);
        LOG.log(Level.DEBUG, "Stream {0} ({1}) closed: {2}", id, endpoint, reason);
        try {
            writers.execute(this::completeIfLive);
        } catch (RuntimeException rejected) {
            completeIfLive();
        }
        return true;
    }

    private synchronized void completeIfLive() {
        if (live) {
            completeLocked();
        }
    }

    /** Completes the response once and frees the compressor, under the writer's monitor. */
    private void completeLocked() {
        if (gzip != null) {
            gzip.end(); // no drain or handshake write can follow: the stream is closed
        }
        if (!completed.compareAndSet(false, true)) {
            return;
        }
        try {
            async.complete();
        } catch (RuntimeException alreadyDone) {
            // the container already ended the request (client gone, or shutting down)
        }
    }

    /** Called by the handshake if it fails before going live. */
    synchronized void abortHandshake(String reason) {
        close(reason);
        live = true;
        completeLocked();
    }

    @Override
    public void onError(Throwable failure) {
        close("write error: " + failure.getClass().getSimpleName());
        awaitWriter();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        completed.set(true);
        close("completed");
        awaitWriter();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        close("container async timeout");
        awaitWriter();
    }

    @Override
    public void onError(AsyncEvent event) {
        close("container error: " + event.getThrowable());
        awaitWriter();
    }

    /**
     * Returns only once no drain is touching the response, completing it if live. When a container callback
     * returns, the container may complete and recycle the request, and Tomcat hands the same processor and
     * buffers to the next connection: a write still under way would then fail or end another client's
     * stream. A drain stops at its next check of {@code closed}, which every caller has set, and its writes
     * never block while it holds the monitor, so waiting for it cannot deadlock.
     */
    private void awaitWriter() {
        completeIfLive(); // synchronized: it waits for the drain under way, if any
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }
}
