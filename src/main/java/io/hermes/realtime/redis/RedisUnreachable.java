package io.hermes.realtime.redis;

import java.util.NoSuchElementException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Tells a Redis outage from a bug: the failures that mean "Redis cannot answer right now" and call for a
 * 503 or a retry, never for failing a download or logging a stack trace.
 */
public final class RedisUnreachable {
    private RedisUnreachable() {
    }

    /**
     * True for a refused, lost or timed-out connection, for no pooled connection within the wait (every
     * connection is stuck on an unanswering Redis), for a Redis that is up but still loading its data, and
     * for one that is no master right now: during a Sentinel failover, a connection may still reach the
     * demoted master (READONLY) or a replica cut off from its master (MASTERDOWN) until the pool follows
     * the switch, a moment later.
     */
    public static boolean is(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof JedisConnectionException) {
                return true;
            }
            if (cause instanceof JedisException && cause.getCause() instanceof NoSuchElementException) {
                return true; // how the pool reports that no connection came free within its wait
            }
            if (cause instanceof JedisDataException data && data.getMessage() != null && transientRefusal(data.getMessage())) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    private static boolean transientRefusal(String message) {
        return message.startsWith("LOADING") // restarted with persistence, reading its file: answers in a moment
                || message.startsWith("READONLY") // a demoted master: the pool moves to the new one
                || message.startsWith("MASTERDOWN"); // a replica that lost its master, until one is promoted
    }
}
