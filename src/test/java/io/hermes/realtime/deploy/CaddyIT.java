package io.hermes.realtime.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.Browser;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.SseEvent;
import io.hermes.realtime.testing.SseParser;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestPublisher;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The project's Caddyfile in a real Caddy in front of the WAR in Jetty: streams pass unbuffered with their
 * headers, compressed only by the server and only when asked, as fast as direct; other answers are compressed; quiet streams stay
 * open, and a stream whose client left is freed on the server; the active health check takes a failing
 * upstream out. With HERMES_CERTS=internal it serves HTTPS with HTTP/2, on which streams flow unbuffered
 * and ten tabs' streams all go live. Run once per Caddy version by the subclasses, each skipped with a
 * message when its binary is missing.
 */
abstract class CaddyIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path caddyHome;
    private TestRedis redis = TestRedis.shared();
    private TestServer server;
    private Caddy caddy;

    private Path binary;

    /** The caddy binary under test; skips the test when it is missing. */
    abstract Path binary();

    @BeforeEach
    void requireCaddy() {
        binary = binary();
    }

    /** The server first: undeploying ends its streams cleanly, so none is left to hold Caddy's stop up. */
    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
            server = null;
        }
        if (caddy != null) {
            caddy.close();
            caddy = null;
        }
    }

    private void start(Map<String, String> settings) throws Exception {
        redis.flush();
        server = TestServer.start(redis, settings);
        caddy = Caddy.start(binary, server.port(), caddyHome);
    }

    /** As {@link #start}, with the Caddyfile's LAN variant: HTTPS from Caddy's internal CA, so HTTP/2. */
    private void startHttps() throws Exception {
        redis.flush();
        server = TestServer.start(redis, Map.of());
        caddy = Caddy.startHttps(binary, server.port(), caddyHome);
    }

    /**
     * HERMES_CERTS=internal: HTTPS with a certificate of Caddy's own CA (this client trusts only that CA), HTTP/2,
     * and a stream on it passes each event on as it comes, as over HTTP/1.1.
     */
    @Test
    void overHttpsWithTheInternalCaAStreamFlowsUnbufferedOnHttp2() throws Exception {
        startHttps();
        HttpResponse<InputStream> response = caddy.http().send(Http.request(caddy.api("/events/queue"),
                TestServer.ADMIN_KEY).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> read(response.body(), events), "caddy-h2-stream-reader");
        reader.start();
        try (TestPublisher publisher = new TestPublisher(redis)) {
            assertEquals(HttpClient.Version.HTTP_2, response.version());
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            awaitEvent(events, "connected");
            int count = 20;
            long[] published = new long[count];
            long[] arrived = new long[count];
            for (int i = 0; i < count; i++) {
                published[i] = System.nanoTime();
                publisher.queueUpdate(i);
                SseEvent event = awaitEvent(events, "queue_update");
                arrived[i] = System.nanoTime();
                assertEquals(i, Events.json(event.data()).path("seq").asInt());
            }
            System.out.printf("CaddyIT (%s): over HTTPS with HTTP/2, delivery latency over %d events, median %.2f ms%n",
                    binary, count - 5, medianMillis(published, arrived, 5));
        } finally {
            response.body().close();
            reader.join(WAIT.toMillis());
        }
    }

    private static SseEvent awaitEvent(BlockingQueue<SseEvent> events, String name) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            SseEvent event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (event != null && event.name().equals(name)) {
                return event;
            }
        }
        throw new AssertionError("no " + name + " event within " + WAIT);
    }

    /** Feeds a stream's body to the parser until it ends or is closed. */
    private static void read(InputStream body, BlockingQueue<SseEvent> events) {
        SseParser parser = new SseParser(events::add);
        char[] buffer = new char[8192];
        try (Reader text = new InputStreamReader(body, StandardCharsets.UTF_8)) {
            for (int read = text.read(buffer); read >= 0; read = text.read(buffer)) {
                parser.feed(new String(buffer, 0, read));
            }
        } catch (IOException closed) {
            // the test closed the stream
        }
    }

    /**
     * Ten tabs of one browser with sharing switched off (?share=off), so each opens its own stream, all live:
     * over HTTP/2 they share one connection, where over HTTP/1.1 the seventh would wait for one of six. The
     * test browser ignores certificate errors, since it does not know Caddy's internal CA.
     */
    @Test
    void tenTabsEachWithItsOwnStreamAreAllLiveOverHttp2() throws Exception {
        try (Browser browser = Browser.startOrSkip("--ignore-certificate-errors")) {
            startHttps();
            JavascriptExecutor script = (JavascriptExecutor) browser.driver();
            long opened = System.currentTimeMillis();
            List<String> tabs = browser.openTabs(caddy.root("/?share=off#key=" + TestServer.ADMIN_KEY).toString(), 10);
            String indicator = "const data = document.getElementById('connection-state').dataset;";
            browser.await("every tab live on its own stream", Duration.ofSeconds(30), () -> tabs.stream()
                    .allMatch(tab -> {
                        browser.focus(tab);
                        Object shown = script.executeScript(indicator + "return data.state + ' ' + data.stream;");
                        return "live own".equals(shown);
                    }));
            assertEquals(10, server.activeStreams(), "one stream per tab");
            long lastLive = 0;
            for (String tab : tabs) {
                browser.focus(tab);
                String since = (String) script.executeScript(indicator + "return data.since;");
                lastLive = Math.max(lastLive, Long.parseLong(since));
                List<?> protocols = (List<?>) script.executeScript(
                        "return [performance.getEntriesByType('navigation')[0].nextHopProtocol].concat("
                        + "performance.getEntriesByType('resource').filter((entry) => entry.name.includes('/api/v1/'))"
                        + ".map((entry) => entry.nextHopProtocol));");
                assertTrue(protocols.size() >= 2 && protocols.stream().allMatch("h2"::equals),
                        "the page and its API calls over HTTP/2: " + protocols);
            }

            long posted = System.currentTimeMillis();
            server.post("/notifications", "{\"message\": \"To ten tabs over HTTP/2\", \"notificationType\": \"info\"}");
            List<String> pending = new ArrayList<>(tabs);
            browser.await("the notification in every tab", WAIT, () -> {
                pending.removeIf(tab -> {
                    browser.focus(tab);
                    return browser.driver().findElements(By.cssSelector("#notifications .notification-message"))
                            .stream().anyMatch(item -> item.getText().equals("To ten tabs over HTTP/2"));
                });
                return pending.isEmpty();
            });
            System.out.printf("CaddyIT (%s): ten tabs, each with its own stream, over HTTP/2: all live %d ms after "
                    + "they were opened; a notification was shown in all ten within %d ms%n", binary, lastLive - opened,
                    System.currentTimeMillis() - posted);
        }
    }

    /**
     * Caddy's {@code encode} never touches a stream: without Accept-Encoding it arrives uncompressed and the
     * server compressed nothing (Caddy did not ask for gzip on the client's behalf); with it, the server's
     * own gzip passes through once, not encoded again, and each event still arrives as it is written.
     */
    @Test
    void streamKeepsItsHeadersAndIsCompressedOnlyByTheServerOnlyWhenAsked() throws Exception {
        start(Map.of());
        // Enough notifications that /events/system opens with more than 512 bytes (Caddy's minimum
        // length for compressing): the case where a default `encode` gzips a stream and holds it back.
        for (int i = 0; i < 12; i++) {
            assertEquals(201, server.post("/notifications",
                    "{\"message\": \"Notification " + i + " padded to make the opening frames long\", "
                            + "\"notificationType\": \"info\"}").statusCode());
        }
        try (SseTestClient plain = caddy.stream("/events/system", Map.of())) {
            assertNull(plain.header("Content-Encoding"), "not asked, not compressed");
            assertEquals("retry", plain.next(WAIT).name());
            assertEquals("connected", plain.next(WAIT).name());
            assertEquals("init", plain.next(WAIT).name());
            assertTrue(plain.rawText().length() > 512, "the opening frames should exceed 512 bytes");
            assertEquals(0, server.compression().live(), "Caddy must not ask the server for gzip it then undoes");
        }
        try (SseTestClient stream = caddy.stream("/events/system", Map.of("Accept-Encoding", "gzip, zstd"))) {
            assertEquals(200, stream.status());
            assertTrue(stream.header("Content-Type").startsWith("text/event-stream"), stream.header("Content-Type"));
            assertEquals("gzip", stream.header("Content-Encoding"), "the server's gzip, not Caddy's zstd on top");
            assertEquals("no-cache", stream.header("Cache-Control"));
            assertEquals("no", stream.header("X-Accel-Buffering"));
            assertTrue(stream.header("Vary").contains("Accept-Encoding"), stream.header("Vary"));

            assertEquals("retry", stream.next(WAIT).name());
            assertEquals("connected", stream.next(WAIT).name());
            SseEvent init = stream.next(WAIT);
            assertEquals("init", init.name());
            assertEquals(12, Events.json(init.data()).path("notifications").size());
            assertTrue(stream.bodyBytes() < stream.rawText().length() / 2,
                    stream.bodyBytes() + " bytes on the wire for " + stream.rawText().length() + " decoded");

            server.post("/notifications", "{\"message\": \"live through Caddy\", \"notificationType\": \"info\"}");
            SseEvent live = stream.next(event -> event.name().equals("system_notification"), WAIT);
            assertEquals("live through Caddy", Events.json(live.data()).path("message").asText());
        }
    }

    @Test
    void everyAnswerCarriesNosniffOnceWhateverAnsweredIt() throws Exception {
        start(Map.of());
        for (String path : List.of("/api/v1/health", "/api/v1/no/such/path", "/", "/nope.js")) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(caddy.root(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(List.of("nosniff"), response.headers().allValues("X-Content-Type-Options"), path);
        }
        // Jetty refuses this before the WAR runs, with an empty 400 and no headers of ours: Caddy adds nosniff.
        HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(caddy.root("/api/v1/download/%252e%252e"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals(List.of("nosniff"), refused.headers().allValues("X-Content-Type-Options"));
    }

    @Test
    void eventsArriveThroughCaddyWithinMillisecondsOfDirect() throws Exception {
        start(Map.of());
        int warmUp = 5;
        int measured = 50;
        int total = warmUp + measured;
        long[] published = new long[total];
        long[][] arrived = new long[2][total];
        CountDownLatch[] delivered = new CountDownLatch[total];
        for (int i = 0; i < total; i++) {
            delivered[i] = new CountDownLatch(2);
        }
        ExecutorService readers = Executors.newFixedThreadPool(2);
        try (SseTestClient direct = server.stream("/events/queue");
                SseTestClient proxied = caddy.stream("/events/queue", Map.of("Accept-Encoding", "gzip"));
                TestPublisher publisher = new TestPublisher(redis)) {
            assertEquals("gzip", proxied.header("Content-Encoding"), "the compressed path, flushed per event");
            direct.awaitConnected(WAIT);
            proxied.awaitConnected(WAIT);
            // One reader per client stamps each event the moment it is parsed, so neither waits on the other.
            Future<?> directReader = readers.submit(() -> record(direct, arrived[0], delivered, total));
            Future<?> proxiedReader = readers.submit(() -> record(proxied, arrived[1], delivered, total));
            for (int i = 0; i < total; i++) {
                published[i] = System.nanoTime();
                publisher.queueUpdate(i);
                assertTrue(delivered[i].await(WAIT.toSeconds(), TimeUnit.SECONDS), "event " + i + " was not delivered to both");
            }
            directReader.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            proxiedReader.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            readers.shutdownNow();
        }
        double directMedian = medianMillis(published, arrived[0], warmUp);
        double caddyMedian = medianMillis(published, arrived[1], warmUp);
        System.out.printf("CaddyIT (%s): delivery latency over %d events, median direct %.2f ms, through Caddy %.2f ms%n",
                binary, measured, directMedian, caddyMedian);
        assertTrue(caddyMedian - directMedian < 20,
                "through Caddy " + caddyMedian + " ms vs direct " + directMedian + " ms (median)");
    }

    private static Void record(SseTestClient client, long[] arrivals, CountDownLatch[] delivered, int count)
            throws InterruptedException {
        for (int received = 0; received < count; received++) {
            SseEvent event = client.next(candidate -> candidate.name().equals("queue_update"), WAIT);
            long now = System.nanoTime();
            int sequence = Events.json(event.data()).path("seq").asInt();
            arrivals[sequence] = now;
            delivered[sequence].countDown();
        }
        return null;
    }

    private static double medianMillis(long[] published, long[] arrived, int skip) {
        double[] latencies = new double[published.length - skip];
        for (int i = skip; i < published.length; i++) {
            latencies[i - skip] = (arrived[i] - published[i]) / 1_000_000.0;
        }
        Arrays.sort(latencies);
        int middle = latencies.length / 2;
        return latencies.length % 2 == 1 ? latencies[middle] : (latencies[middle - 1] + latencies[middle]) / 2;
    }

    @Test
    void jsonAndThePageAreCompressedWhenAsked() throws Exception {
        start(Map.of());
        for (int i = 0; i < 12; i++) {
            server.post("/notifications", "{\"message\": \"Notification " + i + " long enough to compress\", "
                    + "\"notificationType\": \"info\"}");
        }
        HttpResponse<byte[]> gzipped = getBytes(caddy.api("/notifications"), "gzip");
        assertEquals(200, gzipped.statusCode());
        assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElse(null));
        assertTrue(gzipped.headers().firstValue("Vary").orElse("").contains("Accept-Encoding"));
        assertEquals(Events.json(server.get("/notifications").body()), Events.json(gunzip(gzipped.body())));

        HttpResponse<byte[]> page = getBytes(caddy.root("/"), "zstd");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertEquals("zstd", page.headers().firstValue("Content-Encoding").orElse(null));

        HttpResponse<byte[]> plain = getBytes(caddy.api("/notifications"), null);
        assertFalse(plain.headers().firstValue("Content-Encoding").isPresent(), "no Accept-Encoding, no encoding");
    }

    private static HttpResponse<byte[]> getBytes(URI uri, String acceptEncoding) throws IOException, InterruptedException {
        HttpRequest.Builder request = Http.request(uri, TestServer.ADMIN_KEY).GET();
        if (acceptEncoding != null) {
            request.header("Accept-Encoding", acceptEncoding);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void quietStreamStaysOpenThroughCaddyOnHeartbeatsAndComments() throws Exception {
        start(Map.of(Settings.HEARTBEAT_INTERVAL, "1"));
        try (SseTestClient stream = caddy.stream("/events/queue", Map.of());
                TestPublisher publisher = new TestPublisher(redis)) {
            stream.awaitConnected(WAIT);
            int heartbeats = 0;
            int comments = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            while (System.nanoTime() < deadline) {
                // Nothing is published: only heartbeats and comments, each at most 3 s apart.
                SseEvent item = stream.next(Duration.ofSeconds(3));
                if (item.name().equals("heartbeat")) {
                    heartbeats++;
                } else if (item.name().equals(":")) {
                    comments++;
                }
            }
            assertFalse(stream.hasEnded(), "the stream ended:\n" + stream.rawText());
            assertTrue(heartbeats >= 5, heartbeats + " heartbeats in 8 s");
            assertTrue(comments >= 5, comments + " comments in 8 s");

            publisher.queueUpdate(1);
            SseEvent still = stream.next(event -> event.name().equals("queue_update"), WAIT);
            assertEquals(1, Events.json(still.data()).path("seq").asInt());
        }
    }

    /**
     * With {@code flush_interval -1} on the event routes, Caddy keeps its upstream request open after the
     * client has gone, until its own write to that client fails; the server then finds the stream dead on
     * its next write. With a ping every second that takes a few pings: the stream must be gone within 10 s.
     */
    @Test
    void streamWhoseClientLeftIsReleasedOnTheServerWithinTenPings() throws Exception {
        start(Map.of(Settings.HEARTBEAT_INTERVAL, "1"));
        try (SseTestClient stream = caddy.stream("/events/queue", Map.of())) {
            stream.awaitConnected(WAIT);
            assertEquals(1, server.activeStreams());
        }
        long left = System.nanoTime();
        Duration limit = Duration.ofSeconds(10);
        Await.until(limit, server::activeStreams, open -> open == 0,
                "the server to release the stream its client left");
        System.out.printf("CaddyIT (%s): stream released on the server %d ms after its client left%n",
                binary, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - left));
    }

    @Test
    void caddyAnswers503WhileHealthFailsAndRecovers() throws Exception {
        redis = TestRedis.startEmbedded();
        try {
            start(Map.of());
            assertEquals(200, Http.get(caddy.root("/")).statusCode());
            // Without Redis, /api/v1/health answers 503; the page itself would still be served directly.
            redis.stop();
            assertEquals(200, Http.get(URI.create("http://127.0.0.1:" + server.port() + "/")).statusCode());
            awaitStatus(caddy.root("/"), 503, Duration.ofSeconds(25));
            redis.start();
            awaitStatus(caddy.root("/"), 200, Duration.ofSeconds(25));
        } finally {
            stop();
            redis.stop();
        }
    }

    /** Polls {@code uri} until it answers {@code status}; health checks run every 10 s. */
    private static void awaitStatus(URI uri, int status, Duration timeout) throws Exception {
        Await.until(timeout, () -> Http.get(uri).statusCode(), answered -> answered == status,
                uri + " to answer " + status);
    }
}
