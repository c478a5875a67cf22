package io.hermes.realtime.bus;

import static io.hermes.realtime.testing.Events.range;
import static io.hermes.realtime.testing.Events.sequences;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TcpProxy;
import io.hermes.realtime.testing.TestPublisher;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The network between the server and Redis becomes a black hole: nothing answers and nothing is closed,
 * as in a partition. Requests give up after HERMES_REDIS_TIMEOUT with a 503 instead of hanging; the
 * subscriber, whose connection only reads, notices the silence by itself. The connections that crossed
 * the partition stay dead afterwards (as when Redis restarted behind it), yet once the network heals the
 * subscriber reconnects and delivers what other producers published meanwhile, once.
 */
class RedisPartitionIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration POLL_LIMIT = Duration.ofSeconds(1);
    /** More requests at once than the pool has connections (64): the rest must not queue for long either. */
    private static final int AT_ONCE = 100;

    @Test
    void aBlackHoledRedisGives503sWithinTheTimeoutAndTheSubscriberReconnectsByItself() throws Exception {
        TestRedis redis = TestRedis.shared();
        redis.flush();
        try (TcpProxy network = new TcpProxy(redis.url().getPort());
             TestServer server = TestServer.start(TestRedis.at(URI.create("redis://127.0.0.1:" + network.port())),
                     Map.of(Settings.HEARTBEAT_INTERVAL, "1", Settings.WORKER_ENABLED, "false"));
             TestPublisher producer = new TestPublisher(redis); // on the other side of the partition
             Jedis admin = redis.client();
             SseTestClient client = server.stream("/events/queue")) {
            client.awaitConnected(WAIT);
            producer.queueUpdate(0);
            assertEquals(List.of(0), sequences(client.events("queue_update", 1, WAIT)));

            long partitionedAt = System.nanoTime();
            network.blackHole();
            long slowest = 0;
            for (int round = 0; round < 5; round++) {
                for (String path : List.of("/queue", "/stats", "/health")) {
                    long started = System.nanoTime();
                    HttpResponse<String> response = path.equals("/health") ? Http.get(server.api(path)) : server.get(path);
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                    slowest = Math.max(slowest, millis);
                    assertEquals(503, response.statusCode(), path + ": " + response.body());
                    assertTrue(millis < POLL_LIMIT.toMillis(), path + " took " + millis + " ms");
                }
            }
            long burstSlowest = concurrentRequestsAll503(server);
            for (int seq = 1; seq <= 5; seq++) {
                producer.queueUpdate(seq);
            }

            // The subscriber's connection is silent: the watchdog drops it, and Redis sees it go.
            Duration limit = RedisSubscriber.SILENCE_LIMIT.plus(RedisSubscriber.PING_INTERVAL).plusSeconds(3);
            Await.until(limit.minusNanos(System.nanoTime() - partitionedAt),
                    () -> !admin.clientList().contains("flags=P"), "the silent subscription is dropped");
            long droppedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - partitionedAt);
            assertFalse(client.hasEnded(), "streams stay open meanwhile");

            long healedAt = System.nanoTime();
            network.heal();
            assertEquals(range(1, 6), sequences(client.events("queue_update", 5, WAIT)), "published meanwhile, once");
            long caughtUpAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healedAt);
            producer.queueUpdate(6);
            assertEquals(List.of(6), sequences(client.events("queue_update", 1, WAIT)), "then live again");
            System.out.printf("RedisPartitionIT: requests answered 503 within %d ms (slowest) during the partition,"
                    + " %d at once within %d ms; the silent subscription was dropped after %d ms; after healing, the"
                    + " events published meanwhile arrived within %d ms%n", slowest, AT_ONCE, burstSlowest,
                    droppedAfter, caughtUpAfter);
        }
    }

    /**
     * Sends {@link #AT_ONCE} requests together. Those that get a pooled connection wait for Redis, the others
     * for a connection; each wait ends after HERMES_REDIS_TIMEOUT, and both end in a 503. Returns the slowest.
     */
    private static long concurrentRequestsAll503(TestServer server) throws Exception {
        List<CompletableFuture<Long>> answers = new ArrayList<>();
        for (int i = 0; i < AT_ONCE; i++) {
            long started = System.nanoTime();
            answers.add(Http.sendAsync(Http.request(server.api("/queue"), TestServer.ADMIN_KEY).GET()).thenApply(response -> {
                        assertEquals(503, response.statusCode(), response.body());
                        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                    }));
        }
        long slowest = 0;
        for (CompletableFuture<Long> answer : answers) {
            slowest = Math.max(slowest, answer.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        assertTrue(slowest < POLL_LIMIT.toMillis(), "the slowest of " + AT_ONCE + " took " + slowest + " ms");
        return slowest;
    }
}
