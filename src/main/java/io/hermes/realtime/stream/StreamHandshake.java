package io.hermes.realtime.stream;

import io.hermes.realtime.bus.EventId;
import io.hermes.realtime.bus.ReplayLog;
import io.hermes.realtime.bus.BusEvent;
import io.hermes.realtime.http.ApiException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * Opens a stream on the request thread: admission, headers, {@code retry:} and {@code connected}, the
 * replay after {@code Last-Event-ID} (or the snapshot for a fresh client), then hands the connection to
 * its non-blocking writer.
 *
 * <p>The connection is registered <em>before</em> the replay is read, so live events published meanwhile
 * queue up behind it; the connection then drops those the replay already covered. That ordering is what
 * makes resume lose nothing and repeat nothing.
 */
final class StreamHandshake {
    /** The response buffer each open stream holds (see {@link #open}); a compressed stream writes this much at once. */
    private static final int RESPONSE_BUFFER_BYTES = 4096;
    private static final System.Logger LOG = System.getLogger(StreamHandshake.class.getName());
    private static final int REPLAY_PAGE = 500;

    private final ConnectionRegistry registry;
    private final ReplayLog replay;
    private final ControlFrames frames;
    private final StreamClock clock;
    /** What every stream is built with, unless its request asks for another progress interval. */
    private final SseConnection.Options options;
    private final int retryMillis;
    private final StreamMetrics metrics;
    private final CompressionSlots compression;
    private final RevokedStreams revocations;

    public StreamHandshake(ConnectionRegistry registry, ReplayLog replay, ControlFrames frames, StreamClock clock,
            Executor writers, int clientBuffer, int retryMillis, StreamMetrics metrics, CompressionSlots compression,
            int defaultProgressIntervalMillis, RevokedStreams revocations) {
        this.registry = registry;
        this.replay = replay;
        this.frames = frames;
        this.clock = clock;
        this.options = new SseConnection.Options(clientBuffer, defaultProgressIntervalMillis, writers, clock::schedule,
                metrics, registry::remove);
        this.retryMillis = retryMillis;
        this.metrics = metrics;
        this.compression = compression;
        this.revocations = revocations;
    }

    /** Counts a stream request refused before its handshake (see {@link StreamServlet}). */
    void refused(StreamMetrics.Failure why) {
        metrics.failed(why);
    }

    void open(HttpServletRequest request, HttpServletResponse response, StreamPlan plan) throws IOException {
        if (!registry.tryReserve()) {
            metrics.rejected(!registry.isAccepting());
            String retryAfter = Integer.toString(Math.max(1, (retryMillis + 999) / 1000));
            String why = registry.isAccepting()
                    ? "Too many open event streams on this server (limit " + registry.maxConnections() + ")"
                    : "Server is shutting down";
            throw new ApiException(503, why, Map.of("Retry-After", retryAfter));
        }
        SseConnection connection;
        GzipFrames gzip = null;
        try {
            response.setStatus(200);
            response.setContentType("text/event-stream");
            response.setCharacterEncoding("utf-8");
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("X-Accel-Buffering", "no");
            // The body ends where the connection does, instead of in chunks. A stream is never followed by
            // another request on its connection anyway, and chunking cost a pool buffer per write: Jetty takes
            // the chunk header's buffer from the pool bucket that also holds every open stream's response
            // buffer, and scanning it doubled the CPU of a 1000-stream fan-out (bench/RESULTS.md, 15:57–16:30).
            response.setHeader("Connection", "close");
            // A stream keeps its response buffer for its whole life. Jetty's default is a 32 KiB direct
            // buffer, zeroed when allocated: 32 KiB of resident memory per idle stream. Events are far
            // smaller; a frame too big for 4 KiB is written in pieces of that size.
            response.setBufferSize(RESPONSE_BUFFER_BYTES);
            gzip = negotiateCompression(request, response);
            AsyncContext async = request.startAsync();
            async.setTimeout(0);
            ServletOutputStream out = response.getOutputStream();
            FrameOutput output = gzip == null ? new FrameOutput.Plain(out)
                    : new FrameOutput.Gzip(out, gzip, RESPONSE_BUFFER_BYTES, metrics);
            SseConnection.Options streamOptions = plan.progressIntervalMillis() < 0 ? options
                    : options.withProgressInterval(plan.progressIntervalMillis());
            connection = new SseConnection(UUID.randomUUID().toString(), plan.endpoint(), plan.subscription(), async,
                    output, streamOptions, plan.relay());
            async.addListener(connection);
            registry.add(connection, plan.credential());
        } catch (IOException | RuntimeException failed) {
            metrics.failed(StreamMetrics.Failure.HANDSHAKE);
            registry.release();
            if (gzip != null) {
                gzip.end();
            }
            throw failed;
        }
        try {
            revocations.checkRegistered(connection, plan.credential());
            connection.writeBlocking(SseFrame.retry(retryMillis));
            connection.writeBlocking(frames.connected(connection.id()));
            Resumed resumed = resume(request, connection, plan);
            connection.flushBlocking();
            clock.scheduleEnd(connection, plan.notAfter());
            metrics.opened();
            LOG.log(Level.DEBUG, "Stream {0} ({1}) opened on {2} ({3})", connection.id(), plan.endpoint(),
                    request.getRequestURI(), plan.subscription());
            connection.goLive(resumed.upTo()); // from here on its writer may close it, and log that
            if (resumed.finished()) {
                connection.end(null); // a dedicated stream whose final event was among those just written
            }
        } catch (IOException | RuntimeException failed) {
            LOG.log(Level.DEBUG, "Stream {0} failed during its handshake: {1}", connection.id(), failed.toString());
            metrics.failed(StreamMetrics.Failure.HANDSHAKE);
            connection.abortHandshake("handshake failed");
        }
    }

    /**
     * Gzip when the client accepts it and a compression slot is free; otherwise the stream goes out as it is.
     * Whenever compression is on, the answer depends on Accept-Encoding, which {@code Vary} tells caches.
     */
    private GzipFrames negotiateCompression(HttpServletRequest request, HttpServletResponse response) {
        if (!compression.enabled()) {
            return null;
        }
        response.addHeader("Vary", "Accept-Encoding");
        if (!CompressionSlots.acceptsGzip(request)) {
            return null;
        }
        GzipFrames gzip = compression.tryOpen();
        if (gzip == null) {
            metrics.compressionRefused();
            return null;
        }
        response.setHeader("Content-Encoding", "gzip");
        return gzip;
    }

    /**
     * What the handshake wrote before going live.
     *
     * @param upTo     the last replay id written, above which queued live frames are new, or {@code null}
     * @param finished whether a dedicated stream wrote its final event (see {@link Relay}) and must end
     */
    private record Resumed(EventId upTo, boolean finished) {
    }

    /**
     * Writes what a resuming client missed, or a {@code resync}, or the snapshot for a fresh client.
     */
    private Resumed resume(HttpServletRequest request, SseConnection connection, StreamPlan plan) throws IOException {
        String lastEventId = lastEventId(request);
        if (lastEventId == null || plan.snapshotOnly()) {
            return writeSnapshot(connection, plan);
        }
        Optional<EventId> from = EventId.parse(lastEventId);
        if (from.isEmpty()) {
            connection.writeBlocking(resync(plan, "unknown event id"));
            metrics.resyncSent();
            return writeSnapshot(connection, plan);
        }
        EventId position = from.get();
        int replayed = 0;
        boolean finished = false;
        while (!connection.isClosed() && !finished) {
            ReplayLog.Page page = replay.after(position, REPLAY_PAGE);
            if (page.gap()) {
                connection.writeBlocking(resync(plan, "event id is older than the retained window"));
                metrics.resyncSent();
                return writeSnapshot(connection, plan);
            }
            for (BusEvent event : page.events()) {
                SseFrame frame = SseFrame.of(event);
                if (plan.subscription().matches(frame)) {
                    finished = write(connection, plan, frame);
                    replayed++;
                    if (finished) {
                        position = frame.id();
                        break;
                    }
                }
                position = frame.id();
            }
            if (!finished) {
                position = page.last();
            }
            if (!page.more()) {
                break;
            }
        }
        metrics.replayed(replayed);
        return new Resumed(position, finished);
    }

    /** Writes one frame as the stream shows it; returns whether it was the stream's final event. */
    private static boolean write(SseConnection connection, StreamPlan plan, SseFrame frame) throws IOException {
        Relay relay = plan.relay();
        SseFrame shown = relay == null ? frame : relay.pass(frame);
        connection.writeBlocking(shown);
        return relay != null && relay.isLast(shown);
    }

    private SseFrame resync(StreamPlan plan, String reason) {
        return plan.views() ? frames.resyncBeforeSnapshot(reason) : frames.resync(reason);
    }

    /**
     * Writes the snapshot. A snapshot frame that carries the id of the event it reflects (a task session's
     * state) is a replay up to that id: live frames queued meanwhile that it already covers are dropped.
     */
    private static Resumed writeSnapshot(SseConnection connection, StreamPlan plan) throws IOException {
        EventId upTo = null;
        boolean finished = false;
        for (SseFrame frame : plan.snapshot().get()) {
            finished |= write(connection, plan, frame);
            if (frame.id() != null) {
                upTo = frame.id();
            }
        }
        return new Resumed(upTo, finished);
    }

    private static String lastEventId(HttpServletRequest request) {
        String header = request.getHeader("Last-Event-ID");
        if (header != null && !header.isBlank()) {
            return header.trim();
        }
        String query = request.getParameter("last_event_id");
        return query == null || query.isBlank() ? null : query.trim();
    }
}
