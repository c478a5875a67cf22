package io.hermes.realtime.bus;

import static io.hermes.realtime.testing.Events.range;
import static io.hermes.realtime.testing.Events.sequences;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.Skip;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestPublisher;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The WAR finds Redis through a real {@code redis-sentinel} (Debian's package) and not through
 * HERMES_REDIS_URL's address: the URL given points nowhere, so only the master Sentinel names can carry events.
 * Skipped, with a message, when {@code redis-sentinel} is not installed.
 */
class SentinelIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly().waitFor();
        }
    }

    @Test
    void eventsFlowThroughTheMasterSentinelNames() throws Exception {
        Skip.unless(new File("/usr/bin/redis-sentinel").canExecute(), "redis-sentinel (Debian's package)");
        Path dir = Files.createTempDirectory("hermes-sentinel");
        int master = freePort();
        int sentinel = freePort();
        processes.add(new ProcessBuilder("redis-server", "--port", String.valueOf(master), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("master.log").toFile()).start());
        Path config = dir.resolve("sentinel.conf");
        Files.writeString(config, String.join("\n",
                "port " + sentinel, "bind 127.0.0.1", "dir " + dir,
                "sentinel monitor mymaster 127.0.0.1 " + master + " 1",
                "sentinel down-after-milliseconds mymaster 1000",
                "sentinel failover-timeout mymaster 3000", ""));
        processes.add(new ProcessBuilder("redis-sentinel", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sentinel.log").toFile()).start());
        Await.until(WAIT, () -> answers(sentinel), "the Sentinel answers");

        TestRedis redis = TestRedis.at(URI.create("redis://127.0.0.1:" + master));
        try (TestServer server = TestServer.start(TestRedis.at(URI.create("redis://127.0.0.1:1")),
                Map.of(Settings.REDIS_SENTINELS, "127.0.0.1:" + sentinel, Settings.WORKER_ENABLED, "false"));
             TestPublisher producer = new TestPublisher(redis);
             SseTestClient client = server.stream("/events/queue")) {
            client.awaitConnected(WAIT);
            Await.until(WAIT, () -> Http.get(server.api("/health")).statusCode() == 200,
                    "the instance is healthy, its canary back through the master");
            for (int seq = 0; seq < 5; seq++) {
                producer.queueUpdate(seq);
            }
            assertEquals(range(0, 5), sequences(client.events("queue_update", 5, WAIT)));
            assertEquals(200, server.get("/queue").statusCode(), "polling reads the master through the pool");
        }
    }

    private static boolean answers(int port) {
        try (Jedis sentinel = new Jedis("127.0.0.1", port)) {
            return "PONG".equals(sentinel.ping());
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
