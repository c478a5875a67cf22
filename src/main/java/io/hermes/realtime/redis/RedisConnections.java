package io.hermes.realtime.redis;

import java.net.URI;
import java.time.Duration;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;

/**
 * Where Redis is and how long a call may wait for it ({@code HERMES_REDIS_TIMEOUT}): opens the pool that
 * requests and the worker share, and the connections of their own that the subscriber and the metrics
 * probe keep. Whoever opens one closes it.
 */
public final class RedisConnections {
    private static final int MAX_CONNECTIONS = 64;
    private static final int MAX_IDLE = 16;

    private final URI url;
    private final int timeoutMillis;

    public RedisConnections(URI url, int timeoutMillis) {
        this.url = url;
        this.timeoutMillis = timeoutMillis;
    }

    public URI url() {
        return url;
    }

    /** The shared pool; the timeout bounds connecting and every reply. */
    public JedisPooled pool() {
        return new JedisPooled(poolConfig(timeoutMillis), url, timeoutMillis, timeoutMillis);
    }

    /** A client of its own, not connected yet, that connects and reads within the timeout. */
    public Jedis single() {
        return single(timeoutMillis);
    }

    /** A client of its own, not connected yet, with a timeout of its own for connecting and reading. */
    public Jedis single(int ownTimeoutMillis) {
        return new Jedis(url, ownTimeoutMillis, ownTimeoutMillis);
    }

    private static GenericObjectPoolConfig<Connection> poolConfig(int timeoutMillis) {
        GenericObjectPoolConfig<Connection> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(MAX_CONNECTIONS);
        config.setMaxIdle(MAX_IDLE);
        // Borrowing waits a quarter of a call's timeout. A healthy Redis frees a connection within about a
        // millisecond; when Redis hangs, all 64 are busy timing out, and a request should give up (503) after
        // about one timeout in all, not wait a whole one for a connection and then another one on it.
        config.setMaxWait(Duration.ofMillis(Math.max(10, timeoutMillis / 4)));
        // No idle evictor: it would start a pool2 timer thread that outlives an undeployed WAR.
        config.setTimeBetweenEvictionRuns(Duration.ofMillis(-1));
        config.setJmxEnabled(false);
        return config;
    }
}
