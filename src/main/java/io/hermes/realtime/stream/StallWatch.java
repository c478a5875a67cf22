package io.hermes.realtime.stream;

/**
 * Tells a client that stopped reading from one that reads slowly. The writer reports each time a write
 * waits for the socket and each time the socket takes data; the clock asks once per heartbeat interval.
 * A stream is stalled when a write waited at two checks in a row and the socket took nothing in between.
 *
 * <p>What this cannot see: a vanished client whose buffers are not full yet. The kernel accepts small
 * writes (heartbeats) into its send buffer and retransmits them for many minutes ({@code tcp_retries2})
 * before reporting an error; nothing in the Servlet API tells those apart from a client that reads.
 */
final class StallWatch {
    // The writer sets these; the clock thread reads them.
    /** True while a write waits for the socket (the writer returned on {@code !isReady()}). */
    private volatile boolean waiting;
    /** Counts the times the socket took data: each write, and each onWritePossible after a wait. */
    private volatile long progress;

    // Only the clock thread touches these: what it saw at the previous check.
    private boolean waitingAtLastCheck;
    private long progressAtLastCheck;

    /** The writer found the socket not ready and returned; the container will call onWritePossible. */
    void waiting() {
        waiting = true;
    }

    /** The writer handed bytes to the container. */
    void tookData() {
        progress++; // only the writer's owner changes it, so no increment is lost
    }

    /** The container called onWritePossible: the write that waited has gone out. */
    void writePossible() {
        if (waiting) {
            waiting = false;
            progress++;
        }
    }

    /**
     * Called by the clock once per heartbeat interval: true when a write waited now and at the previous call
     * and the socket took nothing in between, so the client took nothing for a whole interval.
     */
    boolean stalled() {
        boolean waitingNow = waiting;
        long progressNow = progress;
        if (waitingNow && waitingAtLastCheck && progressNow == progressAtLastCheck) {
            return true;
        }
        waitingAtLastCheck = waitingNow;
        progressAtLastCheck = progressNow;
        return false;
    }
}
