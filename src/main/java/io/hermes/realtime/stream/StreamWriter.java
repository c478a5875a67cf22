package io.hermes.realtime.stream;

import io.hermes.realtime.bus.EventId;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one writer of a stream: it takes frames from the stream's {@link FrameQueue} and writes them to its
 * {@link FrameOutput}, events, heartbeats and pings through the same loop, so frames never interleave.
 *
 * <p><b>Owners.</b> Until {@link #goLive}, the handshake's thread owns the writer and writes the preamble
 * and the replay or snapshot with blocking writes, while live frames queue up behind them. From then on
 * writes are non-blocking: {@link #drain} runs on a {@code hermes-sse-writer} thread, or on the container
 * thread that calls {@link #onWritePossible}. An atomic ownership flag lets one drain run at a time; a drain
 * keeps it while the socket is not ready, because the container will call {@code onWritePossible} once it is.
 *
 * <p><b>Ending.</b> A failed write and the end of the queue close the connection; every close has the
 * writer complete the response, once, under its monitor, so no drain is writing when it does, and free the
 * output's deflater, if any.
 */
final class StreamWriter implements WriteListener {
    private final SseConnection connection;
    private final FrameQueue frames;
    private final FrameOutput output;
    private final ServletOutputStream out;
    private final AsyncContext async;
    private final Executor writers;
    private final StreamMetrics metrics;
    private final StallWatch stall = new StallWatch();
    /** One Runnable for every drain this stream schedules: nothing is allocated per event to schedule one. */
    private final Runnable drainTask = this::drain;
    /** True while some thread owns the writer: the handshake until goLive, then one drain at a time. */
    private final AtomicBoolean owned = new AtomicBoolean(true);
    private final AtomicBoolean completed = new AtomicBoolean();

    // Guarded by this: only the owner touches them, under the monitor.
    private boolean live;
    private EventId replayedUpTo;
    /** Bytes went to the container since its last flush. */
    private boolean dirty;
    /** The output wrote the end of the body; the stream closes once the container has taken it. */
    private boolean ending;

    StreamWriter(SseConnection connection, FrameQueue frames, FrameOutput output, AsyncContext async,
            Executor writers, StreamMetrics metrics) {
        this.connection = connection;
        this.frames = frames;
        this.output = output;
        this.out = output.container();
        this.async = async;
        this.writers = writers;
        this.metrics = metrics;
    }

    /** A blocking write, by the handshake only, before {@link #goLive}. */
    void writeBlocking(SseFrame frame) throws IOException {
        output.writeBlocking(frame.bytes());
        metrics.writtenDuringHandshake(frame);
    }

    /** Sends what the handshake wrote, blocking. */
    void flushBlocking() throws IOException {
        output.flushBlocking();
    }

    /**
     * Hands the writer over from the handshake to the non-blocking drains. Queued frames whose id is not
     * after {@code replayedUpTo} were already sent by the replay and are dropped.
     */
    synchronized void goLive(EventId replayedUpTo) {
        this.replayedUpTo = replayedUpTo;
        this.live = true;
        if (connection.isClosed()) {
            completeLocked();
            return;
        }
        out.setWriteListener(this); // the container calls onWritePossible, which starts the first drain
    }

    /** The handshake failed before going live and closed the connection: completes the response now. */
    synchronized void abortHandshake() {
        live = true;
        completeLocked();
    }

    /** Runs a drain on a writer thread, unless some thread owns the writer (it then takes the new frames too). */
    void schedule() {
        if (owned.compareAndSet(false, true)) {
            try {
                writers.execute(drainTask);
            } catch (RuntimeException rejected) { // the writer pool is shutting down
                connection.close("server shutting down");
            }
        }
    }

    @Override
    public void onWritePossible() {
        stall.writePossible();
        drain();
    }

    @Override
    public void onError(Throwable failure) {
        connection.close("write error: " + failure.getClass().getSimpleName());
        awaitDrain();
    }

    /** Whether the client took nothing for a whole heartbeat interval while a write waited; see {@link StallWatch}. */
    boolean stalled() {
        return stall.stalled();
    }

    /**
     * Writes until the queue runs dry, the socket is not ready or the connection is closed. A batch ends with
     * what the output kept back (a compressed stream's sync flush), then a flush of the container.
     */
    private synchronized void drain() {
        try {
            while (true) {
                if (connection.isClosed()) {
                    completeLocked();
                    return; // ownership is never released after close, so no drain runs again
                }
                if (!out.isReady()) {
                    stall.waiting();
                    return; // keep ownership: the container will call onWritePossible
                }
                if (ending) {
                    connection.close("ended by server");
                    continue;
                }
                SseFrame frame = frames.poll();
                if (frame == null) {
                    if (output.endBatch()) {
                        tookData();
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
                if (frame == SseFrame.END) {
                    if (output.finish()) {
                        tookData();
                        ending = true; // closes once isReady() says the container took the end of the body
                    } else {
                        connection.close("ended by server");
                    }
                    continue;
                }
                EventId frameId = frame.id();
                if (frameId != null && replayedUpTo != null && !frameId.isAfter(replayedUpTo)) {
                    continue; // already sent during the replay
                }
                if (output.write(frame.bytes())) {
                    tookData();
                }
                metrics.written(frame);
            }
        } catch (IOException | RuntimeException failed) {
            connection.close("write failed: " + failed.getClass().getSimpleName());
            completeLocked();
        }
    }

    private void tookData() {
        stall.tookData();
        dirty = true;
    }

    /**
     * Gives up the writer when the queue ran dry; true when a frame offered in between made this drain take
     * it back (and go on), false when the writer is released or another drain took it.
     */
    private boolean releaseOrRetake() {
        owned.set(false);
        return !frames.isEmpty() && owned.compareAndSet(false, true);
    }

    /**
     * Completes the response on a writer thread, so the caller never waits for a drain; called by the
     * connection's close. A stream not live yet is completed when the handshake hands it over.
     */
    void completeSoon() {
        try {
            writers.execute(this::completeIfLive);
        } catch (RuntimeException rejected) {
            completeIfLive();
        }
    }

    /**
     * Returns only once no drain is touching the response, completing it if live; called by the container's
     * callbacks after they closed the connection. When a callback returns, the container may complete and
     * recycle the request, and Tomcat hands the same processor and buffers to the next connection: a write
     * still under way would then fail or end another client's stream. A drain stops at its next check of
     * the connection's close, and its writes never block while it holds the monitor, so waiting for it cannot
     * deadlock.
     */
    void awaitDrain() {
        completeIfLive(); // synchronized: it waits for the drain under way, if any
    }

    /** The container completed the response itself (onComplete); it is not completed again. */
    void completedByContainer() {
        completed.set(true);
    }

    private synchronized void completeIfLive() {
        if (live) {
            completeLocked();
        }
    }

    /** Completes the response once and frees the output, under the monitor. */
    private void completeLocked() {
        output.release(); // no drain or handshake write can follow: the stream is closed
        if (!completed.compareAndSet(false, true)) {
            return;
        }
        try {
            async.complete();
        } catch (RuntimeException alreadyDone) {
            // the container already ended the request (client gone, or shutting down)
        }
    }
}
