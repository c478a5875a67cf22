package io.hermes.realtime.stream;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.IntConsumer;

/**
 * The one timer thread of the stream layer ({@code hermes-sse-clock}): heartbeat events every
 * {@code HERMES_SSE_HEARTBEAT_INTERVAL} seconds and a comment ping at least every 15 s, whatever the traffic, and
 * each stream's jittered end of life, and the check that reclaims streams whose clients stopped reading.
 * It only offers frames and closes streams; it never writes to a socket and never calls Redis.
 */
final class StreamClock implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StreamClock.class.getName());
    static final Duration PING_INTERVAL = Duration.ofSeconds(15);
    /** How many parts the streams are split into for heartbeats and pings (see {@link #start}). */
    static final int SLICES = 16;

    private final ScheduledThreadPoolExecutor timer;
    private final ConnectionRegistry registry;
    private final ControlFrames frames;
    private final Duration heartbeat;
    private final Duration lifetime;
    private final DoubleSupplier random;
    private final java.time.Clock clock;

    public StreamClock(ConnectionRegistry registry, ControlFrames frames, Duration heartbeat, Duration lifetime,
            ThreadFactory threads, DoubleSupplier random, java.time.Clock clock) {
        this.clock = clock;
        this.registry = registry;
        this.frames = frames;
        this.heartbeat = heartbeat;
        this.lifetime = lifetime;
        this.random = random;
        this.timer = new ScheduledThreadPoolExecutor(1, threads);
        this.timer.setRemoveOnCancelPolicy(true); // closed streams must not leave their deadline behind
        this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Starts the heartbeats and pings. Each stream still gets one heartbeat per interval and one ping per
     * ping interval, but at its own phase: the streams are split into {@link #SLICES} slices and every
     * tick serves one of them. With all streams at once, 19,000 open streams meant a burst of 19,000 writes
     * every 15 s, and every handshake and event queued behind it waited for the burst to drain.
     */
    public void start() {
        long beatMicros = heartbeat.toNanos() / 1_000;
        timer.scheduleAtFixedRate(new Rotation(this::beat), 0, Math.max(1, beatMicros / SLICES), TimeUnit.MICROSECONDS);
        // Comments keep idle proxies from cutting the stream: at least every 15 s, and with every
        // heartbeat when heartbeats are more frequent.
        long pingMicros = Math.min(PING_INTERVAL.toNanos() / 1_000, beatMicros);
        timer.scheduleAtFixedRate(new Rotation(slice -> registry.broadcastToSlice(ControlFrames.PING, slice, SLICES)),
                0, Math.max(1, pingMicros / SLICES), TimeUnit.MICROSECONDS);
    }

    /**
     * One slice's heartbeat: first closes its streams whose clients took nothing since the previous one
     * while a write waited (so a dead client is reclaimed within two intervals), then offers the heartbeat
     * to the slice. Neither touches Redis or a socket, so a Redis outage or a stuck client never delays it.
     */
    private void beat(int slice) {
        try {
            registry.closeStalled(slice, SLICES);
        } catch (RuntimeException bug) {
            // A periodic task that throws is never run again: heartbeats must outlive any bug here.
            LOG.log(System.Logger.Level.ERROR, "Stall check failed", bug);
        }
        registry.broadcastToSlice(frames.heartbeat(), slice, SLICES);
    }

    /**
     * A periodic task that serves the next slice on each run, so {@link #SLICES} runs make one interval.
     * A stream's first heartbeat or ping therefore comes within one interval of its opening, as before.
     */
    private static final class Rotation implements Runnable {
        private final IntConsumer task;
        private int tick; // the timer thread is the only one that touches it

        Rotation(IntConsumer task) {
            this.task = task;
        }

        @Override
        public void run() {
            tick = (tick + 1) % SLICES;
            task.accept(tick);
        }
    }

    /**
     * Ends {@code connection} cleanly after the configured lifetime, ± 20 % so reconnects spread out, or
     * at {@code notAfter} (its token's expiry) if that comes first.
     */
    void scheduleEnd(SseConnection connection, java.time.Instant notAfter) {
        long millis = (long) (lifetime.toMillis() * (0.8 + 0.4 * random.getAsDouble()));
        if (notAfter != null) {
            millis = Math.max(0, Math.min(millis, notAfter.toEpochMilli() - clock.millis()));
        }
        Future<?> end = timer.schedule(() -> connection.end(null), millis, TimeUnit.MILLISECONDS);
        connection.setDeadline(end);
    }

    /** Runs {@code task} on the clock's thread after {@code delayNanos}; it must only offer frames. */
    Future<?> schedule(Runnable task, long delayNanos) {
        return timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
    }
}
