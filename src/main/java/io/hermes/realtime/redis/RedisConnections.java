package io.hermes.realtime.redis;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Where Redis is and how long a call may wait for it ({@code HERMES_REDIS_TIMEOUT}): opens the pool that
 * requests and the worker share, and the connections of their own that the subscriber and the metrics
 * probe keep. Whoever opens one closes it.
 *
 * <p>Redis is either the URL's server, or, with {@link Sentinel}, whichever server the Sentinels name master
 * now. The pool then follows each switch itself (Jedis listens for {@code +switch-master}); a connection of
 * its own asks the Sentinels each time it is opened, so the subscriber finds the new master when it
 * reconnects. A master that was demoted refuses writes as a replica, and a refused write breaks nothing
 * for long: the pool has moved on by then, and the subscriber's canary sees a subscription that hears nothing.
 */
public final class RedisConnections {
    private static final int MAX_CONNECTIONS = 64;
    private static final int MAX_IDLE = 16;

    /**
     * The Sentinels to ask, the master's name there, and the credentials and TLS for the Sentinels
     * themselves (Redis's own come from the URL).
     */
    public record Sentinel(List<String> addresses, String master, String user, String password, boolean tls) {
    }

    private final URI url;
    private final int timeoutMillis;
    private final Sentinel sentinel;

    /** Redis at {@code url}. */
    public RedisConnections(URI url, int timeoutMillis) {
        this(url, timeoutMillis, null);
    }

    /** Redis through {@code sentinel} when not {@code null}; {@code url} then gives credentials, database and TLS. */
    public RedisConnections(URI url, int timeoutMillis, Sentinel sentinel) {
        this.url = url;
        this.timeoutMillis = timeoutMillis;
        this.sentinel = sentinel;
    }

    public URI url() {
        return url;
    }

    /** Where Redis is, for the log: the URL's host and port, or the master's name and its Sentinels. */
    public String describe() {
        return sentinel == null ? url.getHost() + ":" + url.getPort()
                : "master " + sentinel.master() + " through Sentinel " + String.join(",", sentinel.addresses());
    }

    /** The shared pool; the timeout bounds connecting and every reply. */
    public UnifiedJedis pool() {
        if (sentinel == null) {
            return new JedisPooled(poolConfig(timeoutMillis), url, timeoutMillis, timeoutMillis);
        }
        return new JedisSentineled(sentinel.master(), redisConfig(timeoutMillis), poolConfig(timeoutMillis),
                sentinels(), sentinelConfig(timeoutMillis));
    }

    /** A client of its own, not connected yet, that connects and reads within the timeout. */
    public Jedis single() {
        return single(timeoutMillis);
    }

    /**
     * A client of its own with a timeout of its own for connecting and reading. Through Sentinel, the
     * master is asked for now, so each (re)connection goes to the current one; no Sentinel answering is a
     * {@link JedisConnectionException}, as an unreachable Redis would be.
     */
    public Jedis single(int ownTimeoutMillis) {
        if (sentinel == null) {
            return new Jedis(url, ownTimeoutMillis, ownTimeoutMillis);
        }
        return new Jedis(currentMaster(ownTimeoutMillis), redisConfig(ownTimeoutMillis));
    }

    /** Asks the Sentinels in turn which server is master; the first answer wins. */
    private HostAndPort currentMaster(int ownTimeoutMillis) {
        JedisConnectionException last = null;
        for (HostAndPort address : sentinels()) {
            try (Jedis asked = new Jedis(address, sentinelConfig(ownTimeoutMillis))) {
                List<String> master = asked.sentinelGetMasterAddrByName(sentinel.master());
                if (master != null && master.size() == 2) {
                    return new HostAndPort(master.get(0), Integer.parseInt(master.get(1)));
                }
                last = new JedisConnectionException("Sentinel " + address + " knows no master " + sentinel.master());
            } catch (JedisConnectionException unreachable) {
                last = unreachable;
            }
        }
        throw new JedisConnectionException("No Sentinel named the master " + sentinel.master(), last);
    }

    private Set<HostAndPort> sentinels() {
        Set<HostAndPort> addresses = new LinkedHashSet<>();
        for (String address : sentinel.addresses()) {
            addresses.add(HostAndPort.from(address));
        }
        return addresses;
    }

    /** The master's: user, password, database and TLS from the URL. */
    private JedisClientConfig redisConfig(int ownTimeoutMillis) {
        return DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(ownTimeoutMillis).socketTimeoutMillis(ownTimeoutMillis)
                .user(JedisURIHelper.getUser(url)).password(JedisURIHelper.getPassword(url))
                .database(JedisURIHelper.getDBIndex(url)).ssl(JedisURIHelper.isRedisSSLScheme(url))
                .build();
    }

    private JedisClientConfig sentinelConfig(int ownTimeoutMillis) {
        return DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(ownTimeoutMillis).socketTimeoutMillis(ownTimeoutMillis)
                .user(sentinel.user().isEmpty() ? null : sentinel.user())
                .password(sentinel.password().isEmpty() ? null : sentinel.password())
                .ssl(sentinel.tls())
                .build();
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
