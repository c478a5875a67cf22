package io.hermes.realtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.bus.EventId;
import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.FileServer;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.LogCapture;
import io.hermes.realtime.testing.Scrape;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestPublisher;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} parsed as Prometheus would parse it, its numbers checked against a known
 * workload on a real server and a real Redis.
 */
class MetricsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String DELIVERED = "hermes_sse_events_delivered_total";
    private static final String OPEN = "hermes_sse_open_streams";
    private static final String LATENCY = "hermes_sse_delivery_latency_seconds";

    private final TestRedis redis = TestRedis.shared();
    private TestServer server;
    private TestPublisher publisher;
    @TempDir
    Path downloads;
    @TempDir
    Path temp;

    @BeforeEach
    void start() throws Exception {
        redis.flush();
        // Heartbeats every second, so the server notices a client that left within a second or two.
        server = TestServer.start(Map.of(Settings.CLIENT_BUFFER, "100", Settings.HEARTBEAT_INTERVAL, "1",
                Settings.DOWNLOAD_DIR, downloads.toString(), Settings.TEMP_DIR, temp.toString(),
                Settings.ALLOW_PRIVATE_URLS, "true"));
        publisher = new TestPublisher(redis);
    }

    @AfterEach
    void stop() throws Exception {
        publisher.close();
        server.close();
    }

    private static URI metricsOf(TestServer server) {
        return URI.create("http://127.0.0.1:" + server.port() + "/metrics");
    }

    private static Scrape scrape(TestServer server) throws Exception {
        HttpResponse<String> response = Http.get(metricsOf(server), TestServer.ADMIN_KEY);
        assertEquals(200, response.statusCode(), response.body());
        return Scrape.parse(response.body());
    }

    private Scrape scrape() throws Exception {
        return scrape(server);
    }

    /** Scrapes until {@code series} satisfies {@code wanted}, and returns that scrape. */
    private static Scrape awaitSeries(TestServer server, String series, DoublePredicate wanted) throws Exception {
        return Await.until(WAIT, () -> scrape(server), scrape -> wanted.test(scrape.value(series)),
                series + " to reach the wanted value");
    }

    private Scrape awaitSeries(String series, DoublePredicate wanted) throws Exception {
        return awaitSeries(server, series, wanted);
    }

    private static String openOn(String endpoint) {
        return OPEN + "{endpoint=\"" + endpoint + "\"}";
    }

    private static String receivedOn(Channel channel) {
        return "hermes_bus_events_total{channel=\"" + channel.redisName() + "\"}";
    }

    @Test
    void threeStreamsAndTenEventsAreCountedExactly() throws Exception {
        Scrape before = scrape();
        assertEquals(0, before.value(openOn("queue")));
        List<SseTestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                SseTestClient client = server.stream("/events/queue");
                client.awaitConnected(WAIT);
                clients.add(client);
            }
            Scrape open = scrape();
            assertEquals(3, open.value(openOn("queue")));
            assertEquals(0, open.value(openOn("stream")));
            String opened = "hermes_sse_streams_opened_total";
            assertEquals(3, open.value(opened) - before.value(opened));

            for (int seq = 0; seq < 10; seq++) {
                publisher.queueUpdate(seq);
            }
            for (SseTestClient client : clients) {
                client.events("queue_update", 10, WAIT);
            }

            double delivered = before.value(DELIVERED);
            Scrape after = awaitSeries(DELIVERED, value -> value >= delivered + 30);
            assertEquals(30, after.value(DELIVERED) - delivered, "one per event per stream, no more");
            assertEquals(10, after.value(receivedOn(Channel.QUEUE)) - before.value(receivedOn(Channel.QUEUE)));
            for (Channel other : List.of(Channel.DOWNLOAD, Channel.STATS, Channel.STORAGE, Channel.SYSTEM)) {
                assertEquals(before.value(receivedOn(other)), after.value(receivedOn(other)), other.redisName());
            }
            assertTrue(after.value("hermes_sse_written_bytes_total") - before.value("hermes_sse_written_bytes_total")
                    >= 30 * "event: queue_update\ndata: {}\n\n".length(), "bytes of 30 frames at least");

            assertEquals(30, after.value(LATENCY + "_count") - before.value(LATENCY + "_count"));
            Map<String, Double> buckets = after.buckets(LATENCY);
            assertEquals(List.of("0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5",
                    "5", "10", "+Inf"), List.copyOf(buckets.keySet()));
            double previous = 0;
            for (double count : buckets.values()) {
                assertTrue(count >= previous, "buckets are cumulative: " + buckets);
                previous = count;
            }
            assertEquals(after.value(LATENCY + "_count"), buckets.get("+Inf"));
            assertEquals(buckets.get("+Inf"), buckets.get("10"), "on one machine every event arrives within 10 s");
            assertTrue(after.value(LATENCY + "_sum") >= 0 && after.value(LATENCY + "_sum") < 30 * 10.0);
        } finally {
            for (SseTestClient client : clients) {
                client.close();
            }
        }
        awaitSeries(openOn("queue"), value -> value == 0);
    }

    @Test
    void eachEndpointHasItsOwnOpenStreamCount() throws Exception {
        try (SseTestClient multiplexed = server.stream("/events/stream?channels=queue,system");
             SseTestClient system = server.stream("/events/system")) {
            multiplexed.awaitConnected(WAIT);
            system.awaitConnected(WAIT);
            Scrape scrape = scrape();
            assertEquals(1, scrape.value(openOn("stream")));
            assertEquals(1, scrape.value(openOn("system")));
            for (String endpoint : List.of("downloads", "queue", "stats", "storage")) {
                assertEquals(0, scrape.value(openOn(endpoint)), endpoint);
            }
        }
    }

    @Test
    void replaysAndResyncsAreCounted() throws Exception {
        EventId first = publisher.queueUpdate(0);
        for (int seq = 1; seq < 5; seq++) {
            publisher.queueUpdate(seq);
        }
        // The subscriber has passed all five on before any stream opens: a loaded machine could otherwise hand
        // one to the resumed stream live, just after it registered, and count it as a delivery.
        awaitSeries(receivedOn(Channel.QUEUE), value -> value >= 5);
        try (SseTestClient resumed = server.stream("/events/queue", Map.of("Last-Event-ID", first.toString()))) {
            assertEquals(List.of(1, 2, 3, 4), Events.sequences(resumed.events("queue_update", 4, WAIT)));
        }
        try (SseTestClient stale = server.stream("/events/queue", Map.of("Last-Event-ID", "1-0"))) {
            stale.next(event -> event.name().equals("resync"), WAIT);
        }
        Scrape scrape = awaitSeries("hermes_sse_resyncs_total", value -> value >= 1);
        assertEquals(1, scrape.value("hermes_sse_replays_total"));
        assertEquals(4, scrape.value("hermes_sse_replayed_events_total"));
        assertEquals(1, scrape.value("hermes_sse_resyncs_total"));
        assertEquals(0, scrape.value(DELIVERED), "replayed events are not counted as live deliveries");
    }

    @Test
    void scrapingNeedsAKeyWithReadAndRefusesInTheApisJson() throws Exception {
        HttpResponse<String> anonymous = Http.get(metricsOf(server));
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode refusal = Events.json(anonymous.body());
        assertFalse(refusal.path("detail").asText().isEmpty(), anonymous.body());
        assertEquals("http_401", refusal.path("error").path("code").asText());

        HttpResponse<String> writeOnly = Http.get(metricsOf(server), key("[\"write\"]"));
        assertEquals(403, writeOnly.statusCode());
        assertEquals("Permission denied: read required", Events.json(writeOnly.body()).path("detail").asText());

        String reader = key("[\"read\"]");
        HttpResponse<String> allowed = Http.get(metricsOf(server), reader);
        assertEquals(200, allowed.statusCode());
        assertEquals(TextFormat.CONTENT_TYPE, allowed.headers().firstValue("Content-Type").orElse(""));
        assertEquals("no-store", allowed.headers().firstValue("Cache-Control").orElse(""));
        assertEquals("nosniff", allowed.headers().firstValue("X-Content-Type-Options").orElse(""));
        Scrape.parse(allowed.body());

        for (String alias : List.of("/metrics", "/metrics/")) {
            HttpResponse<String> underApi = Http.get(server.api(alias), reader);
            assertEquals(200, underApi.statusCode(), alias);
            Scrape.parse(underApi.body());
        }
    }

    private String key(String permissions) throws Exception {
        HttpResponse<String> created = server.post("/auth/api-keys",
                "{\"name\":\"scraper\",\"permissions\":" + permissions + "}");
        assertEquals(201, created.statusCode(), created.body());
        return Events.json(created.body()).path("key").asText();
    }

    @Test
    void anAllowListedAddressScrapesWithoutAKeyUnlessItCameThroughAProxy() throws Exception {
        try (TestServer allowing = TestServer.start(Map.of(Settings.METRICS_ALLOW, "10.0.0.0/8, 127.0.0.1"))) {
            HttpResponse<String> direct = Http.get(metricsOf(allowing));
            assertEquals(200, direct.statusCode(), direct.body());
            Scrape.parse(direct.body());

            HttpResponse<String> proxied = Http.send(Http.request(metricsOf(allowing), null)
                    .header("X-Forwarded-For", "203.0.113.7"));
            assertEquals(401, proxied.statusCode(), "the peer is a proxy that every client shares");
        }
        try (TestServer elsewhere = TestServer.start(Map.of(Settings.METRICS_ALLOW, "10.0.0.0/8"))) {
            assertEquals(401, Http.get(metricsOf(elsewhere)).statusCode(), "127.0.0.1 is not in 10.0.0.0/8");
        }
    }

    @Test
    void aClientThatStopsReadingIsCountedAndLoggedOnceWhenCutOff() throws Exception {
        try (LogCapture logs = LogCapture.of("io.hermes.realtime");
             Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress("127.0.0.1", server.port()));
            OutputStream request = stalled.getOutputStream();
            request.write(("GET /api/v1/events/queue HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + TestServer.ADMIN_KEY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            request.flush();
            awaitSeries(openOn("queue"), value -> value == 1);

            // Publish until the socket buffers and the queue of 100 are full: a few MB at most.
            String padding = "x".repeat(2000);
            int published = 0;
            while (scrape().value("hermes_sse_slow_clients_cut_total") == 0) {
                assertTrue(published < 10_000, "the stalled client was never cut off");
                for (int i = 0; i < 200; i++) {
                    publisher.publish(Channel.QUEUE, Map.of("seq", published++, "padding", padding));
                }
            }
            Scrape scrape = awaitSeries(openOn("queue"), value -> value == 0);
            assertEquals(1, scrape.value("hermes_sse_slow_clients_cut_total"));
            List<String> cuts = logs.containing("cut off");
            assertEquals(1, cuts.size(), cuts.toString());
            assertTrue(cuts.get(0).startsWith("INFO Stream ") && cuts.get(0).contains("(queue)"), cuts.get(0));
        }
    }

    @Test
    void streamLogsNameTheConnectionAndNeverTheToken() throws Exception {
        try (LogCapture logs = LogCapture.of("io.hermes.realtime")) {
            HttpResponse<String> issued = server.post("/events/token", "{\"scope\":\"queue\",\"ttl\":300}");
            String token = Events.json(issued.body()).path("token").asText();
            assertTrue(token.startsWith("sse_"), issued.body());
            String connectionId;
            try (SseTestClient client = SseTestClient.open(server.api("/events/queue?token=" + token),
                    Map.of("Last-Event-ID", "not-an-id"))) {
                connectionId = Events.json(client.awaitConnected(WAIT).data())
                        .path("connection_id").asText();
            }
            awaitSeries(openOn("queue"), value -> value == 0);
            String closed = "Stream " + connectionId + " (queue) closed";
            Await.until(WAIT, logs::lines, lines -> lines.stream().anyMatch(line -> line.contains(closed)),
                    "a close line for " + connectionId);
            List<String> opened = logs.containing("Stream " + connectionId + " (queue) opened");
            assertEquals(1, opened.size(), logs.lines().toString());
            assertTrue(opened.get(0).startsWith("FINE "), opened.get(0));
            for (String line : logs.lines()) {
                assertFalse(line.contains(token), "a log line reveals the SSE token: " + line);
                assertFalse(line.contains(TestServer.ADMIN_KEY), "a log line reveals the API key: " + line);
            }
        }
    }

    @Test
    void eventsHealthKeepsItsContractFieldsAndAddsTheSubscriber() throws Exception {
        JsonNode health = Events.json(Http.get(server.api("/events/health")).body());
        assertTrue(health.path("enabled").asBoolean());
        assertEquals(0, health.path("active_connections").asInt());
        assertEquals(1000, health.path("max_connections").asInt());
        assertEquals(1, health.path("heartbeat_interval").asInt());
        assertEquals("subscribed", health.path("subscriber_state").asText());
        assertEquals(0, health.path("subscriber_reconnects").asLong());
        // The delivery canary goes through the subscriber too, so some message has always come lately.
        assertTrue(health.path("last_message_age_seconds").isNull()
                || health.path("last_message_age_seconds").asDouble() < 10, health.toString());
        assertEquals("healthy", health.path("delivery").asText(), health.toString());

        publisher.queueUpdate(1);
        health = Await.until(WAIT, () -> Events.json(Http.get(server.api("/events/health")).body()),
                answer -> !answer.path("last_message_age_seconds").isNull(), "the subscriber to report a message");
        double age = health.path("last_message_age_seconds").asDouble();
        assertTrue(age >= 0 && age < 5, "age " + age);
    }

    @Test
    void redisAndTheSubscriberAreReportedAtEachScrape() throws Exception {
        Scrape scrape = scrape();
        assertEquals(1, scrape.value("hermes_redis_up"));
        double ping = scrape.value("hermes_redis_ping_seconds");
        assertTrue(ping >= 0 && ping < 0.5, "ping " + ping);
        assertEquals(1, scrape.value("hermes_bus_subscriber_state", "state", "subscribed"));
        for (String other : List.of("starting", "reconnecting", "stopped")) {
            assertEquals(0, scrape.value("hermes_bus_subscriber_state", "state", other), other);
        }
        assertEquals(0, scrape.value("hermes_bus_subscriber_reconnects_total"));
        assertEquals(0, scrape.value("hermes_bus_publish_failures_total"));
        assertEquals(1000, scrape.value("hermes_sse_max_streams"));
        assertEquals("counter", scrape.type("hermes_sse_events_delivered_total"));
        assertEquals("gauge", scrape.type(OPEN));
        assertEquals("histogram", scrape.type(LATENCY));
    }

    @Test
    void aScrapeWhileRedisIsDownAnswersQuicklyAndSaysSo() throws Exception {
        TestRedis own = TestRedis.startEmbedded();
        try (TestServer alone = TestServer.start(own, Map.of(Settings.WORKER_ENABLED, "false"))) {
            assertEquals(1, scrape(alone).value("hermes_redis_up"));
            own.stop();

            long started = System.nanoTime();
            Scrape down = scrape(alone);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis < 2000, "the scrape took " + millis + " ms");
            assertEquals(0, down.value("hermes_redis_up"));
            assertTrue(Double.isNaN(down.value("hermes_redis_ping_seconds")));
            Scrape reconnecting = awaitSeries(alone, "hermes_bus_subscriber_state{state=\"reconnecting\"}",
                    value -> value == 1);
            assertTrue(reconnecting.value("hermes_bus_subscriber_reconnects_total") >= 1);

            own.start();
            awaitSeries(alone, "hermes_redis_up", value -> value == 1);
            awaitSeries(alone, "hermes_bus_subscriber_state{state=\"subscribed\"}", value -> value == 1);
        } finally {
            own.stop();
        }
    }

    @Test
    void workerTransfersAreCountedAsTheyRunAndEnd() throws Exception {
        try (FileServer files = new FileServer(40)) {
            String slow = files.uri("/slow/" + 30L * 64 * 1024).toString(); // 30 pieces, 40 ms apart
            server.downloads().submit(slow);
            awaitSeries("hermes_worker_transfers_active", value -> value == 1);
            awaitSeries("hermes_worker_transfers_completed_total", value -> value == 1);
            Scrape done = awaitSeries("hermes_worker_transfers_active", value -> value == 0);
            assertEquals(1, done.value("hermes_worker_transfers_completed_total"));
            assertEquals(0, done.value("hermes_worker_transfers_failed_total"));

            server.downloads().submit(files.uri("/missing").toString());
            Scrape failed = awaitSeries("hermes_worker_transfers_failed_total", value -> value == 1);
            assertEquals(1, failed.value("hermes_worker_transfers_completed_total"));
        }
    }
}
