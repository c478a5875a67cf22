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
     * connection is stuck on an unanswering Redis), and for a Redis that is up but still loading its data.
     */
    public static boolean is(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof JedisConnectionException) {
                return true;
            }
            if (cause instanceof JedisException && cause.getCause() instanceof NoSuchElementException) {
                return true; // how the pool reports that no connection came free within its wait
            }
            if (cause instanceof JedisDataException data && data.getMessage() != null
                    && data.getMessage().startsWith("LOADING")) {
                return true; // restarted with persistence, reading its file: answers again in a moment
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
