package io.hermes.realtime.redis;

/**
 * How many replicas a write waits for, and how long at most ({@code HERMES_REDIS_WAIT_REPLICAS},
 * {@code HERMES_REDIS_WAIT_TIMEOUT}): Redis's {@code WAIT} after the write. Replication stays asynchronous;
 * a write that returns has reached that many replicas, so a failover to one of them keeps it.
 *
 * @param replicas      replicas to wait for; 0 waits for none
 * @param timeoutMillis the longest wait, after which the write returns anyway
 */
public record ReplicaWait(int replicas, int timeoutMillis) {
    /** Waits for no replica. */
    public static final ReplicaWait NONE = new ReplicaWait(0, 0);

    public boolean enabled() {
        return replicas > 0;
    }
}
