package io.hermes.realtime.stream;

import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.bus.EventId;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Thins one stream's {@code download_progress} steps to at most one per download per interval (our
 * extension: {@code ?progress_interval_ms=}, read by {@link StreamServlet}; default
 * {@code HERMES_SSE_PROGRESS_INTERVAL_MS}). The first step after a quiet interval goes out at once; a later
 * one waits for the interval to end, and a newer step replaces one still waiting (the latest value wins), so
 * the last step of a burst always arrives, at most one interval late. A change of status goes out at once
 * and drops the step waiting before it, so a stream never shows a status older than one it already showed.
 * Every other event passes untouched, in order.
 *
 * <p><b>Ids.</b> A step sent late carries the newest id this stream has been offered instead of its own, so
 * the ids a client sees never go backwards (EventSource keeps the last one for {@code Last-Event-ID}). A
 * client that resumes from such an id is not sent again what came before it; what it may miss that way is
 * a step of another download that was still waiting, which that download's next step supersedes. That step's
 * frame is re-encoded for this stream alone: the one cost of thinning that grows with the number of clients.
 *
 * <p>This is the third of a progress step's paces, the stream's; {@code downloads.ProgressSteps} names all
 * three.
 *
 * <p><b>Threads.</b> The subscriber (and the clock) offer; the clock's thread releases waiting steps. Both
 * hand frames on under this object's lock, so the order they reach the connection is the order decided here.
 * State per download lives one interval past its last step, then is forgotten.
 */
final class ProgressThrottle {
    /** Runs a task after a delay; the stream clock in production. */
    @FunctionalInterface
    interface Timer {
        Future<?> schedule(Runnable task, long delayNanos);
    }

    private final long intervalNanos;
    private final Timer timer;
    private final LongSupplier nanoTime;
    private final Consumer<SseFrame> sink;
    private final StreamMetrics metrics;

    // Guarded by this.
    private final Map<String, StepsOf> downloads = new HashMap<>();
    private EventId newestId;
    private boolean closed;

    /** What the throttle remembers of one download's steps on this stream. */
    private static final class StepsOf {
        final String id;
        String status;
        long sentAtNanos;
        SseFrame waiting;
        Future<?> release;

        StepsOf(String id) {
            this.id = id;
        }
    }

    /** {@code sink} receives the frames to send, in order: the connection's queue. */
    ProgressThrottle(long intervalMillis, Timer timer, LongSupplier nanoTime, Consumer<SseFrame> sink,
            StreamMetrics metrics) {
        this.intervalNanos = intervalMillis * 1_000_000;
        this.timer = timer;
        this.nanoTime = nanoTime;
        this.sink = sink;
        this.metrics = metrics;
    }

    /** Passes {@code frame} on now, keeps it for later, or drops the step it supersedes. */
    synchronized void offer(SseFrame frame) {
        if (closed) {
            return;
        }
        EventId id = frame.id();
        if (id != null && (newestId == null || id.isAfter(newestId))) {
            newestId = id;
        }
        String downloadId = frame.downloadId();
        if (frame.channel() != Channel.DOWNLOAD || downloadId == null) {
            sink.accept(frame);
            return;
        }
        long now = nanoTime.getAsLong();
        StepsOf download = downloads.get(downloadId);
        if (download == null) {
            download = new StepsOf(downloadId);
            downloads.put(downloadId, download);
            send(download, frame, now);
            return;
        }
        if (!Objects.equals(download.status, frame.status())) {
            if (download.waiting != null) {
                download.waiting = null;
                metrics.progressThinned();
            }
            send(download, frame, now);
            return;
        }
        if (download.waiting == null && now - download.sentAtNanos >= intervalNanos) {
            send(download, frame, now);
            return;
        }
        if (download.waiting != null) {
            metrics.progressThinned();
        }
        download.waiting = frame;
    }

    private void send(StepsOf download, SseFrame frame, long now) {
        download.status = frame.status();
        download.sentAtNanos = now;
        sink.accept(frame);
        if (download.release == null) {
            download.release = schedule(download, intervalNanos);
        }
    }

    private Future<?> schedule(StepsOf download, long delayNanos) {
        try {
            return timer.schedule(() -> release(download), delayNanos);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            return null; // the server is stopping and ends every stream; a step still waiting is not worth it
        }
    }

    /**
     * At the end of a download's interval: sends the step that waited, or forgets the download when none
     * did (its next step then goes out at once). A status change in the meantime restarted the interval.
     */
    private synchronized void release(StepsOf download) {
        download.release = null;
        if (closed || downloads.get(download.id) != download) {
            return;
        }
        long now = nanoTime.getAsLong();
        long left = download.sentAtNanos + intervalNanos - now;
        if (left > 0) {
            download.release = schedule(download, left);
            return;
        }
        SseFrame waiting = download.waiting;
        if (waiting == null) {
            downloads.remove(download.id);
            return;
        }
        download.waiting = null;
        EventId id = waiting.id();
        send(download, id != null && newestId.isAfter(id) ? waiting.withId(newestId) : waiting, now);
    }

    /** Drops every waiting step and timer; called once the stream has closed. */
    synchronized void close() {
        closed = true;
        for (StepsOf download : downloads.values()) {
            if (download.release != null) {
                download.release.cancel(false);
            }
        }
        downloads.clear();
    }

    /** Downloads remembered now, for tests. */
    synchronized int downloadsTracked() {
        return downloads.size();
    }
}
