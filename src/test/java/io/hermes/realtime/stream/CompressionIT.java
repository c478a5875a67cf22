package io.hermes.realtime.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.app.Settings;
import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.Scrape;
import io.hermes.realtime.testing.SseEvent;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestPublisher;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Gzip on the event stream, through the real WAR in Jetty over sockets: the same events as an uncompressed
 * stream, each decodable the moment it arrives, at most HERMES_SSE_COMPRESSION_MAX_STREAMS compressed at
 * once, and every deflater freed however its stream ends.
 */
class CompressionIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Map<String, String> GZIP = Map.of("Accept-Encoding", "gzip, deflate, br");
    private static final String STREAM = "/events/stream?channels=download,queue";

    private final TestRedis redis = TestRedis.shared();
    private TestServer server;
    private TestPublisher publisher;

    private void start(Map<String, String> settings) throws Exception {
        redis.flush();
        server = TestServer.start(redis, settings);
        publisher = new TestPublisher(redis);
    }

    @AfterEach
    void stop() throws Exception {
        if (publisher != null) {
            publisher.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void publishProgress(int step) {
        Map<String, Object> progress = new LinkedHashMap<>();
        progress.put("percentage", step / 10.0);
        progress.put("status", "downloading");
        progress.put("downloaded_bytes", step * 524_288L);
        progress.put("total_bytes", 104_857_600L);
        progress.put("speed", 1_048_576.0 + step);
        progress.put("eta", 200 - step);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("download_id", "download-" + step % 10);
        data.put("status", "downloading");
        data.put("message", null);
        data.put("progress", progress);
        data.put("result", null);
        publisher.publish(Channel.DOWNLOAD, data, "alice");
    }

    @Test
    void gzipStreamCarriesTheSameEventsAsAnUncompressedOneInFarFewerBytes() throws Exception {
        start(Map.of());
        try (SseTestClient plain = server.stream(STREAM); SseTestClient gzip = server.stream(STREAM, GZIP)) {
            assertNull(plain.header("Content-Encoding"), "no Accept-Encoding, no compression");
            assertEquals("gzip", gzip.header("Content-Encoding"));
            for (SseTestClient client : List.of(plain, gzip)) {
                assertTrue(client.header("Vary").contains("Accept-Encoding"), client.header("Vary"));
                assertTrue(client.header("Content-Type").startsWith("text/event-stream"));
                assertEquals("retry", client.next(WAIT).name());
                assertEquals("connected", client.next(WAIT).name());
            }
            long plainBefore = plain.bodyBytes();
            long gzipBefore = gzip.bodyBytes();
            for (int step = 0; step < 200; step++) {
                publishProgress(step);
            }
            publisher.queueUpdate(1);
            List<SseEvent> expected = plain.events("download_progress", 200, WAIT);
            List<SseEvent> decoded = gzip.events("download_progress", 200, WAIT);
            assertEquals(expected, decoded, "the same names, ids and data, in the same order");
            assertEquals(plain.next(e -> e.name().equals("queue_update"), WAIT),
                    gzip.next(e -> e.name().equals("queue_update"), WAIT));
            long plainBytes = plain.bodyBytes() - plainBefore;
            long gzipBytes = gzip.bodyBytes() - gzipBefore;
            System.out.printf("CompressionIT: 201 events, %d bytes uncompressed, %d gzip (%.1f per event)%n", plainBytes,
                    gzipBytes, gzipBytes / 201.0);
            assertTrue(gzipBytes * 3 < plainBytes, gzipBytes + " gzip bytes against " + plainBytes);
        }
    }

    @Test
    void eachEventOfAGzipStreamArrivesWithoutWaitingForTheNext() throws Exception {
        start(Map.of());
        try (SseTestClient gzip = server.stream("/events/queue", GZIP)) {
            assertEquals("gzip", gzip.header("Content-Encoding"));
            gzip.awaitConnected(WAIT);
            for (int seq = 0; seq < 20; seq++) {
                // Nothing else is published until this event is decoded: a deflater that was not flushed
                // would keep a few hundred bytes to itself, and this would time out.
                publisher.queueUpdate(seq);
                SseEvent event = gzip.next(e -> e.name().equals("queue_update"), Duration.ofSeconds(5));
                assertEquals(seq, Events.json(event.data()).path("seq").asInt());
            }
        }
    }

    @Test
    void heartbeatsAndCommentsGoThroughTheSameCompressor() throws Exception {
        start(Map.of(Settings.HEARTBEAT_INTERVAL, "1"));
        try (SseTestClient gzip = server.stream("/events/queue", GZIP)) {
            gzip.awaitConnected(WAIT);
            assertEquals("heartbeat", gzip.next(e -> !e.name().equals(":"), Duration.ofSeconds(5)).name());
            gzip.next(e -> e.name().equals(":"), Duration.ofSeconds(5));
            assertTrue(gzip.rawText().contains("event: heartbeat\ndata: {\"timestamp\":"), gzip.rawText());
        }
    }

    @Test
    void streamsBeyondTheCapGoUncompressedAndAFreedSlotIsUsedAgain() throws Exception {
        start(Map.of(Settings.COMPRESSION_MAX_STREAMS, "2", Settings.HEARTBEAT_INTERVAL, "1"));
        SseTestClient first = server.stream(STREAM, GZIP);
        try (SseTestClient second = server.stream(STREAM, GZIP); SseTestClient third = server.stream(STREAM, GZIP)) {
            assertEquals("gzip", first.header("Content-Encoding"));
            assertEquals("gzip", second.header("Content-Encoding"));
            assertNull(third.header("Content-Encoding"), "the cap is reached: this one goes as it is");
            third.awaitConnected(WAIT);
            assertEquals(2, server.compression().live());
            Scrape scrape = Scrape.parse(Http.get(server.api("/metrics"), TestServer.ADMIN_KEY).body());
            assertEquals(2.0, scrape.value("hermes_sse_compressed_streams"));
            assertEquals(1.0, scrape.value("hermes_sse_compression_refused_total"));

            first.close();
            awaitLive(1, server.compression()::live);
            try (SseTestClient fourth = server.stream(STREAM, GZIP)) {
                assertEquals("gzip", fourth.header("Content-Encoding"), "the slot the first one freed");
                fourth.awaitConnected(WAIT);
                publisher.queueUpdate(5);
                for (SseTestClient client : List.of(second, third, fourth)) {
                    assertEquals(5, Events.json(client.next(e -> e.name().equals("queue_update"), WAIT).data())
                            .path("seq").asInt());
                }
            }
        }
    }

    @Test
    void aStreamTheServerEndsClosesItsGzipBodyWithTheTrailerAndFreesItsDeflater() throws Exception {
        start(Map.of(Settings.CONNECTION_TIMEOUT, "5"));
        try (SseTestClient ended = server.stream(STREAM, GZIP)) {
            ended.awaitConnected(WAIT);
            assertEquals(1, server.compression().live());
            assertTrue(ended.awaitEnd(Duration.ofSeconds(10)), "the server ends a stream after 4 to 6 s");
            assertTrue(ended.gzipComplete(), "a clean end closes the gzip body with its trailer");
            awaitLive(0, server.compression()::live);
        }
    }

    @Test
    void deflatersAreFreedWhenTheClientLeavesOrIsCutOffForNotReading() throws Exception {
        start(Map.of(Settings.HEARTBEAT_INTERVAL, "1", Settings.CLIENT_BUFFER, "20"));
        try (SseTestClient leaving = server.stream(STREAM, GZIP); Socket stalled = stalledGzipClient()) {
            leaving.awaitConnected(WAIT);
            awaitLive(2, server.compression()::live);

            leaving.close();
            // Large incompressible events fill the stalled client's socket, so its writer waits and its
            // queue overflows; the next write to the one that left fails.
            Random random = new Random(3);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (server.compression().live() > 0 && System.nanoTime() < deadline) {
                byte[] noise = new byte[8192];
                random.nextBytes(noise);
                publisher.publish(Channel.QUEUE, Map.of("noise", HexFormat.of().formatHex(noise)));
                TimeUnit.MILLISECONDS.sleep(1); // the producer's pace; the wait itself is awaitLive's, below
            }
            awaitLive(0, server.compression()::live);
            assertEquals(0, server.activeStreams());
        }
    }

    /** A client that accepts gzip, reads the response head and nothing more, with a small receive window. */
    private Socket stalledGzipClient() throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
        socket.setSoTimeout(20_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/v1" + STREAM + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                + "Accept-Encoding: gzip\r\nAuthorization: Bearer " + TestServer.ADMIN_KEY + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] head = new byte[64];
        int n = socket.getInputStream().read(head);
        assertTrue(n > 0 && new String(head, 0, n, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
        return socket;
    }

    @Test
    void undeployingEndsCompressedStreamsCleanlyAndFreesEveryDeflater() throws Exception {
        start(Map.of());
        List<SseTestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                SseTestClient client = server.stream(STREAM, GZIP);
                clients.add(client);
                client.awaitConnected(WAIT);
            }
            CompressionSlots slots = server.compression();
            assertEquals(3, slots.live());
            server.undeploy();
            assertEquals(0, slots.live(), "undeploy returns only after every stream has ended");
            for (SseTestClient client : clients) {
                assertTrue(client.awaitEnd(WAIT));
                assertTrue(client.gzipComplete(), "ended with a complete gzip body:\n" + client.rawText());
                assertTrue(client.rawText().endsWith("\n\n") && client.rawText().contains("retry: "),
                        "the jittered retry: before the end");
            }
        } finally {
            for (SseTestClient client : clients) {
                client.close();
            }
        }
    }

    private static void awaitLive(int expected, IntSupplier live) throws InterruptedException {
        Await.until(WAIT, live::getAsInt, alive -> alive == expected, expected + " deflaters alive");
    }
}
