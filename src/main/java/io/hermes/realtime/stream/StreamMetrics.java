package io.hermes.realtime.stream;

import io.hermes.realtime.metrics.Counter;
import io.hermes.realtime.metrics.Histogram;
import io.hermes.realtime.metrics.Metrics;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The stream layer's metrics. Writers record into striped counters and a histogram of fixed buckets:
 * no lock shared between writer threads and no allocation per frame. Open streams are counted from the
 * registry when scraped.
 */
final class StreamMetrics {
    /** Delivery latency buckets, in seconds: 1 ms (the envelope timestamp's resolution) to 10 s. */
    static final double[] LATENCY_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /**
     * Stream duration buckets, in seconds: from a stream that dies at once to a day. Most end at their
     * lifetime ({@code HERMES_SSE_CONNECTION_TIMEOUT}, 300 s ± 20 % by default), which 240 and 360 bracket.
     */
    static final double[] DURATION_BUCKETS = {1, 5, 15, 30, 60, 120, 240, 360, 600, 1800, 3600, 14400, 86400};

    /**
     * Why a stream attempt did not become a stream: the label values of {@code hermes_sse_stream_failures_total},
     * every one registered at start so that a rate over them exists before the first failure.
     */
    enum Failure {
        /** {@code HERMES_SSE_MAX_CONNECTIONS} streams were open: 503. */
        FULL,
        /** The instance was stopping: 503. */
        STOPPING,
        /** {@code HERMES_ENABLE_SSE=false}: 503. */
        DISABLED,
        /** No valid credential: 401. */
        UNAUTHORIZED,
        /** A credential without the right (a token of another scope): 403. */
        FORBIDDEN,
        /** A download or session the caller cannot see: 404. */
        NOT_FOUND,
        /** A bad parameter (scope, snapshot view, progress interval): 400 or 422. */
        INVALID,
        /** Redis could not be asked (a stored key or token, a replay): 503. */
        UNAVAILABLE,
        /** Accepted, but failed before going live (the client left, a replay read failed). */
        HANDSHAKE,
        /** Anything else: a 500. */
        ERROR;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The reason a refusal with {@code status} stands for. */
        static Failure ofStatus(int status) {
            return switch (status) {
                case 401 -> UNAUTHORIZED;
                case 403 -> FORBIDDEN;
                case 404 -> NOT_FOUND;
                case 503 -> UNAVAILABLE;
                default -> status >= 400 && status < 500 ? INVALID : ERROR;
            };
        }
    }

    private final Clock clock;
    private final Counter opened;
    private final Counter rejected;
    private final Counter delivered;
    private final Counter bytes;
    private final Counter slowClientsCut;
    private final Counter replays;
    private final Counter replayedEvents;
    private final Counter resyncs;
    private final Counter compressedBytes;
    private final Counter compressionRefused;
    private final Counter progressThinned;
    private final Histogram latency;
    private final Histogram duration;
    private final Map<Failure, Counter> failures = new LinkedHashMap<>();

    public StreamMetrics(Metrics metrics, ConnectionRegistry registry, CompressionSlots compression, Clock clock) {
        this.clock = clock;
        for (String endpoint : StreamRoutes.ENDPOINTS) {
            metrics.gauge("hermes_sse_open_streams", "Event streams open on this instance, by endpoint",
                    "endpoint", endpoint, () -> registry.activeOn(endpoint));
        }
        metrics.gauge("hermes_sse_max_streams", "The open stream limit (HERMES_SSE_MAX_CONNECTIONS)",
                registry::maxConnections);
        opened = metrics.counter("hermes_sse_streams_opened_total", "Event streams opened");
        rejected = metrics.counter("hermes_sse_streams_rejected_total",
                "Event streams refused with 503 because the instance was full or stopping");
        delivered = metrics.counter("hermes_sse_events_delivered_total",
                "Live application events written to clients (one per event per stream; replays not included)");
        bytes = metrics.counter("hermes_sse_written_bytes_total",
                "Bytes of frames written to event streams (events, replays, heartbeats and pings), before any compression");
        compressedBytes = metrics.counter("hermes_sse_compressed_written_bytes_total",
                "Bytes written to gzip-compressed event streams, after compression");
        metrics.gauge("hermes_sse_compressed_streams", "Gzip-compressed event streams open (deflaters alive)",
                compression::live);
        compressionRefused = metrics.counter("hermes_sse_compression_refused_total",
                "Streams that accepted gzip but went uncompressed because HERMES_SSE_COMPRESSION_MAX_STREAMS were open");
        slowClientsCut = metrics.counter("hermes_sse_slow_clients_cut_total",
                "Streams closed because their client read too slowly and its buffer (HERMES_SSE_CLIENT_BUFFER) filled");
        replays = metrics.counter("hermes_sse_replays_total",
                "Resuming clients (Last-Event-ID) served a replay of what they missed");
        replayedEvents = metrics.counter("hermes_sse_replayed_events_total",
                "Events written to resuming clients by replays");
        resyncs = metrics.counter("hermes_sse_resyncs_total",
                "Resuming clients told to resync: their Last-Event-ID was unknown or older than the replay window");
        progressThinned = metrics.counter("hermes_sse_progress_steps_thinned_total",
                "download_progress steps not sent because a newer step of the same download replaced them within the"
                        + " stream's progress interval");
        latency = metrics.histogram("hermes_sse_delivery_latency_seconds",
                "Time from an event's publish timestamp to its frame being written to a client's socket (live events;"
                        + " 1 ms resolution; publishers on other hosts add their clock skew)", LATENCY_BUCKETS);
        duration = metrics.histogram("hermes_sse_stream_duration_seconds",
                "How long event streams stayed open, from the request to the close, observed when they close (streams"
                        + " that went live only)", DURATION_BUCKETS);
        for (Failure failure : Failure.values()) {
            failures.put(failure, metrics.counter("hermes_sse_stream_failures_total",
                    "Stream requests that did not become a live stream, by reason (refused before streaming, or failed"
                            + " in the handshake)", "reason", failure.label()));
        }
    }

    void opened() {
        opened.increment();
    }

    /** Refused for want of room: the instance is full ({@code stopping} false) or stopping. */
    void rejected(boolean stopping) {
        rejected.increment();
        failed(stopping ? Failure.STOPPING : Failure.FULL);
    }

    /** A stream request that did not become a live stream. */
    void failed(Failure why) {
        failures.get(why).increment();
    }

    /** A stream that went live has closed after {@code nanos}. */
    void ended(long nanos) {
        duration.observe(nanos / 1e9);
    }

    /** A frame the live writer wrote: counted, and its latency observed if it is a published event. */
    void written(SseFrame frame) {
        bytes.add(frame.bytes().length);
        if (frame.channel() != null) {
            delivered.increment();
            if (frame.publishedAt() > 0) {
                latency.observe(Math.max(0, clock.millis() - frame.publishedAt()) / 1000.0);
            }
        }
    }

    /** A frame the handshake wrote (preamble, snapshot, replay): bytes only. */
    void writtenDuringHandshake(SseFrame frame) {
        bytes.add(frame.bytes().length);
    }

    /** Bytes a compressed stream wrote, after compression. */
    void compressedWritten(int count) {
        compressedBytes.add(count);
    }

    void progressThinned() {
        progressThinned.increment();
    }

    void compressionRefused() {
        compressionRefused.increment();
    }

    void slowClientCut() {
        slowClientsCut.increment();
    }

    void replayed(int events) {
        replays.increment();
        replayedEvents.add(events);
    }

    void resyncSent() {
        resyncs.increment();
    }
}
