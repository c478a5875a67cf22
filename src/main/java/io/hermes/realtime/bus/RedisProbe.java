package io.hermes.realtime.bus;

import java.util.function.Supplier;
import redis.clients.jedis.Jedis;

/**
 * Measures the round trip to Redis for the metrics: one PING per scrape, on a connection of its own. Its
 * own connection, with short timeouts (chosen by the caller's factory), keeps a scrape from waiting on a
 * busy pool or for long on a Redis that is down.
 */
final class RedisProbe implements AutoCloseable {
    /**
     * One measurement.
     *
     * @param up      whether Redis answered
     * @param seconds the round trip, or NaN when it did not answer
     */
    record Ping(boolean up, double seconds) {
    }

    private final Supplier<Jedis> connections;

    // Guarded by this.
    private Jedis connection;
    private Ping last = new Ping(false, Double.NaN);
    private boolean closed;

    /** {@code connections} makes a new, not yet connected, client with the timeouts a scrape may wait. */
    RedisProbe(Supplier<Jedis> connections) {
        this.connections = connections;
    }

    /** Sends one PING and keeps the result for {@link #last()}. */
    synchronized void measure() {
        last = ping();
    }

    /** The result of the latest {@link #measure()}; down until the first. */
    synchronized Ping last() {
        return last;
    }

    private Ping ping() {
        if (closed) {
            return new Ping(false, Double.NaN);
        }
        try {
            if (connection == null) {
                connection = connections.get();
                connection.ping(); // connects (and authenticates): not part of the round trip
            }
            long started = System.nanoTime();
            connection.ping();
            return new Ping(true, (System.nanoTime() - started) / 1e9);
        } catch (RuntimeException unreachable) {
            disconnect();
            return new Ping(false, Double.NaN);
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

    @Override
    public synchronized void close() {
        closed = true;
        disconnect();
    }
}
