package io.hermes.realtime.stream;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every open stream of this instance, the credential each was opened with, and the admission limit. A slot
 * is reserved before a stream starts (so the limit answers 503 before any byte is streamed) and released
 * exactly once when it closes.
 */
final class ConnectionRegistry {
    private final ConcurrentHashMap<String, SseConnection> connections = new ConcurrentHashMap<>();
    /**
     * The streams opened with a revocable credential, and that credential: a map of its own, so that the
     * broadcast loop over {@code connections} stays as lean as it was.
     */
    private final ConcurrentHashMap<SseConnection, String> credentials = new ConcurrentHashMap<>();
    private final AtomicInteger reserved = new AtomicInteger();
    private final int maxConnections;
    private volatile boolean accepting = true;

    public ConnectionRegistry(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    /** Claims a slot for a new stream; false when the instance is full or shutting down. */
    boolean tryReserve() {
        if (!accepting) {
            return false;
        }
        if (reserved.incrementAndGet() > maxConnections) {
            reserved.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Returns a slot whose stream never opened. */
    void release() {
        reserved.decrementAndGet();
    }

    boolean isAccepting() {
        return accepting;
    }

    /** Registers a stream opened with {@code credential}, or with none that can be revoked ({@code null}). */
    void add(SseConnection connection, String credential) {
        if (credential != null) {
            credentials.put(connection, credential);
        }
        connections.put(connection.id(), connection);
    }

    /** Called once per connection, by its close. */
    void remove(SseConnection connection) {
        if (connections.remove(connection.id(), connection)) {
            credentials.remove(connection);
            reserved.decrementAndGet();
        }
    }

    /** The credentials the open streams were opened with, each once. */
    Set<String> credentialsInUse() {
        return new HashSet<>(credentials.values());
    }

    /**
     * Ends, cleanly, every stream opened with one of {@code revoked}: after the frames already queued, so
     * nothing offered from now on reaches it, and the browser reconnects to be refused. Never blocks.
     * Returns how many it ended.
     */
    int endOpenedWith(Set<String> revoked) {
        if (revoked.isEmpty()) {
            return 0;
        }
        int ended = 0;
        for (Map.Entry<SseConnection, String> entry : credentials.entrySet()) {
            if (revoked.contains(entry.getValue())) {
                entry.getKey().end(null);
                ended++;
            }
        }
        return ended;
    }

    /** Offers a frame to every stream whose subscription matches it. Never blocks. */
    public void broadcast(SseFrame frame) {
        for (SseConnection connection : connections.values()) {
            if (connection.subscription().matches(frame)) {
                connection.offer(frame);
            }
        }
    }

    /**
     * Offers a control frame (heartbeat, ping) to the streams of one slice: those whose
     * {@link #sliceOf slice} is {@code slice} of {@code slices}.
     */
    void broadcastToSlice(SseFrame frame, int slice, int slices) {
        for (SseConnection connection : connections.values()) {
            if (sliceOf(connection, slices) == slice && connection.subscription().matches(frame)) {
                connection.offer(frame);
            }
        }
    }

    /**
     * Closes the streams of one slice whose client took nothing for a whole heartbeat interval while a
     * write waited.
     */
    void closeStalled(int slice, int slices) {
        for (SseConnection connection : connections.values()) {
            if (sliceOf(connection, slices) == slice) {
                connection.closeIfStalled();
            }
        }
    }

    /** A stream's place in the clock's rotation: fixed for its life, spread evenly by its random id. */
    static int sliceOf(SseConnection connection, int slices) {
        return Math.floorMod(connection.id().hashCode(), slices);
    }

    /** Streams currently open (handshakes in progress included). */
    public int activeConnections() {
        return connections.size();
    }

    /** Streams open on one endpoint, counted when asked (for metrics) rather than kept up to date. */
    int activeOn(String endpoint) {
        int count = 0;
        for (SseConnection connection : connections.values()) {
            if (connection.endpoint().equals(endpoint)) {
                count++;
            }
        }
        return count;
    }

    public int maxConnections() {
        return maxConnections;
    }

    /** Refuses new streams from now on. */
    public void stopAccepting() {
        accepting = false;
    }

    /** Ends every stream cleanly, each after writing {@code last}; see {@link SseConnection#end}. */
    public void endAll(java.util.function.Supplier<SseFrame> last) {
        for (SseConnection connection : connections.values()) {
            connection.end(last.get());
        }
    }

    /** Closes whatever is still open, without waiting for its queue. */
    public void closeAll(String reason) {
        for (SseConnection connection : connections.values()) {
            connection.close(reason);
        }
    }

    /** Waits until every stream has closed, or the timeout passes; true if none is left. */
    public boolean awaitEmpty(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!connections.isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return true;
    }
}
