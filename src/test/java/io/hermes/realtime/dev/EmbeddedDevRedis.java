package io.hermes.realtime.dev;

import io.hermes.realtime.app.DevRedis;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import redis.embedded.RedisServer;

/**
 * The development Redis that {@code mvn jetty:run} starts when {@code HERMES_REDIS_URL} is unset: a real
 * {@code redis-server} binary from the embedded-redis artifact, on 6379 when free. Lives in the test
 * class path, so the packaged WAR never contains it.
 */
public final class EmbeddedDevRedis implements DevRedis {
    private RedisServer server;

    @Override
    public URI start() throws IOException {
        int port = isFree(6379) ? 6379 : anyFreePort();
        server = RedisServer.newRedisServer()
                .port(port)
                .setting("bind 127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
        server.start();
        return URI.create("redis://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.stop();
            }
        } catch (IOException ignored) {
            // the process is gone already
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket probe = new ServerSocket(port)) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static int anyFreePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
