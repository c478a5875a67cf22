package io.hermes.realtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.Scrape;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The metrics the alerts and the dashboard are built on, against a real server and Redis: failed stream
 * attempts by reason, stream durations, Redis's memory, the JVM's heap and the canary's round trip.
 */
class AlertMetricsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String FAILURES = "hermes_sse_stream_failures_total";
    private static final String DURATION = "hermes_sse_stream_duration_seconds";
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        TestRedis.shared().flush();
        // A heartbeat every second: a stream whose client went away is found at the next write, not at a ping.
        server = TestServer.start(Map.of(Settings.MAX_CONNECTIONS, "1", Settings.CANARY_INTERVAL, "1",
                Settings.REDIS_MEMORY_INTERVAL, "1", Settings.HEARTBEAT_INTERVAL, "1"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private Scrape scrape() throws Exception {
        return Scrape.parse(Http.get(URI.create("http://127.0.0.1:" + server.port() + "/metrics"),
                TestServer.ADMIN_KEY).body());
    }

    @Test
    void refusedStreamsAreCountedByReasonAndClosedOnesByDuration() throws Exception {
        Scrape before = scrape();
        for (String reason : new String[] {"full", "stopping", "disabled", "unauthorized", "forbidden", "not_found",
                "invalid", "unavailable", "handshake", "error"}) {
            assertEquals(0, before.value(FAILURES, "reason", reason), reason);
        }
        assertEquals(0, before.value(DURATION + "_count"));

        try (SseTestClient anonymous = SseTestClient.open(server.api("/events/queue"))) {
            assertEquals(401, anonymous.status());
        }
        try (SseTestClient badInterval = server.stream("/events/queue?progress_interval_ms=-5")) {
            assertEquals(422, badInterval.status());
        }
        SseTestClient open = server.stream("/events/queue");
        open.awaitConnected(WAIT);
        try (SseTestClient full = server.stream("/events/queue")) {
            assertEquals(503, full.status());
        }
        open.close();
        server.awaitActiveStreams(0, WAIT);

        Scrape after = scrape();
        assertEquals(1, after.value(FAILURES, "reason", "unauthorized"));
        assertEquals(1, after.value(FAILURES, "reason", "invalid"));
        assertEquals(1, after.value(FAILURES, "reason", "full"));
        assertEquals(1, after.value("hermes_sse_streams_rejected_total"), "the older counter still counts the full one");
        assertEquals(1, after.value(DURATION + "_count"), "one stream went live and closed");
        assertTrue(after.value(DURATION + "_sum") > 0 && after.value(DURATION + "_sum") < 20);
        assertEquals(1, after.buckets(DURATION).get("+Inf"));
    }

    @Test
    void redisMemoryHeapAndCanaryRoundTripAreReported() throws Exception {
        Scrape sampled = Await.until(WAIT, this::scrape,
                scrape -> scrape.value("hermes_redis_used_memory_bytes") > 0
                        && scrape.value("hermes_bus_canary_round_trip_seconds_count") >= 2,
                "Redis's memory sampled and two canaries back");
        assertEquals(0, sampled.value("hermes_redis_max_memory_bytes"), "the test Redis has no maxmemory");
        assertEquals("gauge", sampled.type("hermes_redis_used_memory_bytes"));
        assertEquals("histogram", sampled.type("hermes_bus_canary_round_trip_seconds"));
        assertTrue(sampled.value("hermes_bus_canary_round_trip_seconds_sum") < 2 * 2.0, "round trips under 2 s each");
        double used = sampled.value("hermes_jvm_heap_used_bytes");
        double max = sampled.value("hermes_jvm_heap_max_bytes");
        assertTrue(used > 0 && max >= used, "heap " + used + " of " + max);

        TestRedis.shared().client().configSet("maxmemory", "1gb");
        try {
            Await.until(WAIT, this::scrape, scrape -> scrape.value("hermes_redis_max_memory_bytes") == 1 << 30,
                    "maxmemory sampled");
        } finally {
            TestRedis.shared().client().configSet("maxmemory", "0");
        }
    }
}
