package io.hermes.realtime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;

/**
 * A real Redis server for tests: the one named by {@code HERMES_REDIS_URL} when set, otherwise a
 * {@code redis-server} binary (from the embedded-redis artifact) started on a free loopback port.
 */
public final class TestRedis {
    private static TestRedis shared;

    private final URI url;
    private final RedisServer server;

    private TestRedis(URI url, RedisServer server) {
        this.url = url;
        this.server = server;
    }

    /** The Redis shared by every test in this JVM; tests call {@link #flush()} to start clean. */
    public static synchronized TestRedis shared() {
        if (shared == null) {
            String configured = System.getenv("HERMES_REDIS_URL");
            shared = configured != null && !configured.isBlank()
                    ? new TestRedis(URI.create(configured.trim()), null)
                    : startEmbedded();
            if (shared.server != null) {
                Runtime.getRuntime().addShutdownHook(new Thread(shared::stopQuietly, "test-redis-stop"));
            }
        }
        return shared;
    }

    /** A Redis of the test's own that it may stop and start; the caller stops it. */
    public static TestRedis startEmbedded() {
        int port = freePort();
        try {
            RedisServer server = RedisServer.newRedisServer()
                    .port(port)
                    .setting("bind 127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            server.start();
            return new TestRedis(URI.create("redis://127.0.0.1:" + port), server);
        } catch (IOException failed) {
            throw new UncheckedIOException("could not start the embedded Redis for tests", failed);
        }
    }

    /**
     * A Redis of the test's own whose data survives {@link #stop()} and {@link #start()}: an append-only
     * file in {@code dataDir}, written on every command, as production Redis should run.
     */
    public static TestRedis startEmbeddedWithPersistence(Path dataDir) {
        int port = freePort();
        try {
            RedisServer server = RedisServer.newRedisServer()
                    .port(port)
                    .setting("bind 127.0.0.1")
                    .setting("dir " + dataDir.toAbsolutePath())
                    .setting("save \"\"")
                    .setting("appendonly yes")
                    .setting("appendfsync always")
                    .build();
            server.start();
            return new TestRedis(URI.create("redis://127.0.0.1:" + port), server);
        } catch (IOException failed) {
            throw new UncheckedIOException("could not start the embedded Redis for tests", failed);
        }
    }

    /** A Redis someone else runs, such as the parent test's when this JVM is a child server. */
    public static TestRedis at(URI url) {
        return new TestRedis(url, null);
    }

    public URI url() {
        return url;
    }

    /** A new plain connection; the caller closes it. */
    public Jedis client() {
        return new Jedis(url);
    }

    /** Empties the database so a test starts from nothing. */
    public void flush() {
        try (Jedis jedis = client()) {
            jedis.flushAll();
        }
    }

    public void stop() throws IOException {
        if (server != null) {
            server.stop();
        }
    }

    public void start() throws IOException {
        if (server != null) {
            server.start();
        }
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (IOException ignored) {
            // the JVM is exiting
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }
}
