package io.hermes.realtime.bus;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;

/**
 * Samples Redis's memory ({@code INFO memory}: {@code used_memory} and {@code maxmemory}) every interval
 * on a thread of its own ({@code hermes-redis-memory}), so that neither a scrape nor a request ever waits
 * for it. A scrape reads the last sample. Like {@link RedisProbe} it keeps a connection of its own with
 * short timeouts: a busy pool or a Redis that is down costs this thread one timeout, nobody else anything.
 *
 * <p>Before the first sample, and after one that failed, both values are NaN: a gap in the graphs, never a
 * stale number. Started and stopped by its owner, {@link BusModule}.
 */
final class RedisMemory implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RedisMemory.class.getName());

    /**
     * One sample.
     *
     * @param usedBytes {@code used_memory}, or NaN
     * @param maxBytes  {@code maxmemory}: 0 means no limit; NaN when unknown
     */
    record Sample(double usedBytes, double maxBytes) {
        static final Sample UNKNOWN = new Sample(Double.NaN, Double.NaN);
    }

    private final Supplier<Jedis> connections;
    private final Duration interval;
    private final ThreadFactory threads;
    private volatile Sample last = Sample.UNKNOWN;
    /** Touched by the sampling thread only (and by close, after that thread has ended). */
    private Jedis connection;
    private boolean warned;
    private ScheduledThreadPoolExecutor timer;

    /** {@code connections} makes a new, not yet connected, client with short timeouts. */
    RedisMemory(Supplier<Jedis> connections, Duration interval, ThreadFactory threads) {
        this.connections = connections;
        this.interval = interval;
        this.threads = threads;
    }

    /** Starts sampling, the first at once. */
    void start() {
        timer = new ScheduledThreadPoolExecutor(1, threads);
        timer.scheduleWithFixedDelay(this::sample, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The latest sample. */
    Sample last() {
        return last;
    }

    /** Takes one sample; on the sampling thread, or a test's. */
    void sample() {
        try {
            if (connection == null) {
                connection = connections.get();
            }
            last = parse(connection.info("memory"));
            warned = false;
        } catch (RuntimeException unreachable) {
            last = Sample.UNKNOWN;
            disconnect();
            if (!warned) { // once per outage: the subscriber already says Redis is gone
                warned = true;
                LOG.log(Level.DEBUG, "Could not read Redis's INFO memory: {0}", unreachable.toString());
            }
        }
    }

    /** The two fields of an {@code INFO memory} answer ({@code name:value} lines); a missing one is NaN. */
    static Sample parse(String info) {
        double used = Double.NaN;
        double max = Double.NaN;
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon);
            if (name.equals("used_memory")) {
                used = number(line.substring(colon + 1));
            } else if (name.equals("maxmemory")) {
                max = number(line.substring(colon + 1));
            }
        }
        return new Sample(used, max);
    }

    private static double number(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException notANumber) {
            return Double.NaN;
        }
    }

    private void disconnect() {
        Jedis broken = connection;
        connection = null;
        if (broken != null) {
            try {
                broken.close();
            } catch (RuntimeException alreadyClosed) {
                // nothing left to release
            }
        }
    }

    /** Stops the thread, waits for it, then closes the connection. Never throws. */
    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        disconnect();
    }
}
