package io.hermes.realtime.container;

import static io.hermes.realtime.testing.Events.range;
import static io.hermes.realtime.testing.Events.sequences;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.SseEvent;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestPublisher;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import io.hermes.realtime.testing.TomcatTestServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The unchanged WAR on Tomcat 10.1: an event's whole path (publisher, Redis, subscriber, queues,
 * non-blocking writes) and the polling endpoints behave as they do on Jetty.
 */
class TomcatEventPathIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int STALL_EVENTS = 5000;
    private static final int STALL_BATCH = 250;
    private static final int ROUNDS = 30;

    private final TestRedis redis = TestRedis.shared();
    private TomcatTestServer server;
    private TestPublisher publisher;

    @BeforeEach
    void start() throws Exception {
        redis.flush();
        // One-second heartbeats for the quiet-stream test; every other test skips them as it reads.
        server = TomcatTestServer.start(redis, Map.of(Settings.HEARTBEAT_INTERVAL, "1", Settings.CLIENT_BUFFER, "1000"));
        publisher = new TestPublisher(redis);
    }

    @AfterEach
    void stop() throws Exception {
        publisher.close();
        server.close();
    }

    @Test
    void publishedEventReachesTwoClientsOnceInOrderAfterRetryAndConnected() throws Exception {
        List<SseTestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                SseTestClient client = server.stream("/events/stream?channels=queue");
                clients.add(client);
                assertEquals(200, client.status());
                assertTrue(client.header("Content-Type").startsWith("text/event-stream"), client.header("Content-Type"));
                assertEquals("close", client.header("Connection"));
                assertNull(client.header("Transfer-Encoding"), "Tomcat too ends the body with the connection");
                assertEquals(new SseEvent("retry", null, "3000"), client.next(WAIT));
                assertEquals("connected", client.next(WAIT).name());
            }
            for (int seq = 0; seq < 20; seq++) {
                publisher.queueUpdate(seq);
            }
            publisher.queueUpdate(999); // a sentinel: anything repeated would arrive before it
            List<Integer> expected = new ArrayList<>(range(0, 20));
            expected.add(999);
            for (SseTestClient client : clients) {
                List<SseEvent> received = client.events("queue_update", 21, WAIT);
                assertEquals(expected, sequences(received));
                received.forEach(event -> assertNotNull(event.id(), "a published event carries its replay id"));
            }
        } finally {
            for (SseTestClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void clientResumingWithLastEventIdGetsExactlyWhatItMissed() throws Exception {
        String lastSeen;
        try (SseTestClient first = connect(Map.of())) {
            for (int seq = 0; seq < 3; seq++) {
                publisher.queueUpdate(seq);
            }
            lastSeen = first.events("queue_update", 3, WAIT).get(2).id();
        }
        for (int seq = 3; seq < 8; seq++) {
            publisher.queueUpdate(seq);
        }
        try (SseTestClient resumed = connect(Map.of("Last-Event-ID", lastSeen))) {
            publisher.queueUpdate(8);
            assertEquals(range(3, 9), sequences(resumed.events("queue_update", 6, WAIT)));
            publisher.queueUpdate(9);
            assertEquals(List.of(9), sequences(resumed.events("queue_update", 1, WAIT)), "nothing repeated");
        }
    }

    /**
     * Each round's first client hangs up while events are being written to it, and the next connection
     * resumes. Tomcat reuses the request, response and buffers of a finished connection for the next one,
     * so a write still under way on the old stream once the container has completed it would fail or end
     * the new one.
     */
    @Test
    void clientsHangingUpAndResumingRoundAfterRoundEachGetExactlyWhatTheyMissed() throws Exception {
        int seq = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String lastSeen;
            try (SseTestClient leaving = connect(Map.of())) {
                publisher.queueUpdate(seq);
                lastSeen = idOf(leaving, seq++);
            }
            int missedFrom = seq;
            publisher.queueUpdate(seq++);
            publisher.queueUpdate(seq++);
            try (SseTestClient resumed = connect(Map.of("Last-Event-ID", lastSeen))) {
                publisher.queueUpdate(seq++);
                assertEquals(range(missedFrom, seq), sequences(resumed.events("queue_update", 3, WAIT)), "round " + round);
            }
        }
    }

    /**
     * A gzip stream on Tomcat: each event decodable the moment it arrives (the sync flush reaches the
     * socket through Tomcat's non-blocking writes), the same events as an uncompressed stream, and round
     * after round of compressed clients hanging up mid-stream leaves no deflater behind and no recycled
     * response written to.
     */
    @Test
    void gzipStreamDeliversEachEventAtOnceAsAnUncompressedOneDoesAndFreesItsDeflater() throws Exception {
        Map<String, String> gzip = Map.of("Accept-Encoding", "gzip");
        int seq = 0;
        try (SseTestClient plain = connect(Map.of()); SseTestClient compressed = connect(gzip)) {
            assertEquals("gzip", compressed.header("Content-Encoding"));
            assertEquals(null, plain.header("Content-Encoding"));
            for (; seq < 20; seq++) {
                publisher.queueUpdate(seq);
                SseEvent decoded = compressed.next(event -> event.name().equals("queue_update"), Duration.ofSeconds(5));
                assertEquals(plain.next(event -> event.name().equals("queue_update"), WAIT), decoded);
            }
        }
        for (int round = 0; round < 10; round++) {
            String lastSeen;
            try (SseTestClient leaving = connect(gzip)) {
                publisher.queueUpdate(seq);
                lastSeen = idOf(leaving, seq++);
            }
            int missedFrom = seq;
            publisher.queueUpdate(seq++);
            try (SseTestClient resumed = connect(Map.of("Accept-Encoding", "gzip", "Last-Event-ID", lastSeen))) {
                publisher.queueUpdate(seq++);
                assertEquals(range(missedFrom, seq), sequences(resumed.events("queue_update", 2, WAIT)), "round " + round);
            }
        }
        server.awaitActiveStreams(0, WAIT);
        Await.until(WAIT, () -> server.compression().live(), live -> live == 0, "every deflater to be freed");
    }

    @Test
    void quietStreamReceivesHeartbeats() throws Exception {
        try (SseTestClient client = connect(Map.of())) {
            List<SseEvent> beats = client.events("heartbeat", 2, Duration.ofSeconds(10));
            for (SseEvent beat : beats) {
                assertTrue(Events.json(beat.data()).path("timestamp").asText().endsWith("Z"), beat.data());
            }
        }
    }

    @Test
    void stalledClientIsCutOffWhileAnotherKeepsReceiving() throws Exception {
        try (SseTestClient fast = connect(Map.of());
             Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096); // the kernel then holds little on its behalf
            stalled.connect(new InetSocketAddress("127.0.0.1", server.port()));
            OutputStream request = stalled.getOutputStream();
            request.write(("GET /api/v1/events/queue HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + TestServer.ADMIN_KEY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            request.flush();
            server.awaitActiveStreams(2, WAIT);

            String padding = "x".repeat(2000); // 10 MB in all: beyond what socket buffers and the queue absorb
            // Published in batches the reader keeps up with, so on a loaded machine the reader is never
            // itself the client that falls a whole buffer behind.
            List<SseEvent> received = new ArrayList<>();
            for (int seq = 0; seq < STALL_EVENTS; seq++) {
                publisher.publish(Channel.QUEUE, Map.of("seq", seq, "padding", padding));
                if ((seq + 1) % STALL_BATCH == 0) {
                    received.addAll(fast.events("queue_update", STALL_BATCH, WAIT));
                }
            }
            assertEquals(range(0, STALL_EVENTS), sequences(received));
            server.awaitActiveStreams(1, WAIT);
        }
    }

    @Test
    void pollingEndpointsAnswerAndAnUnchangedAnswerIs304() throws Exception {
        HttpResponse<String> created = server.post("/notifications",
                "{\"message\":\"Served by Tomcat\",\"notificationType\":\"info\"}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("Served by Tomcat", Events.json(created.body()).path("message").asText());

        for (String path : List.of("/queue", "/notifications")) {
            HttpResponse<String> first = server.get(path);
            assertEquals(200, first.statusCode(), path + ": " + first.body());
            assertTrue(first.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), path);
            String etag = first.headers().firstValue("ETag").orElseThrow(() -> new AssertionError(path + " has no ETag"));
            HttpResponse<String> again = Http.send(Http.request(server.api(path), TestServer.ADMIN_KEY)
                    .header("If-None-Match", etag).GET());
            assertEquals(304, again.statusCode(), path);
            assertTrue(again.body().isEmpty(), path + " answers 304 without a body");
        }
        JsonNode listed = Events.json(server.get("/notifications").body());
        assertEquals(1, listed.size());
        assertEquals("Served by Tomcat", listed.get(0).path("message").asText());
        assertFalse(Events.json(server.get("/queue").body()).isMissingNode());
    }

    private SseTestClient connect(Map<String, String> headers) throws Exception {
        SseTestClient client = server.stream("/events/stream?channels=queue", headers);
        client.awaitConnected(WAIT);
        return client;
    }

    /**
     * The id of event {@code sequence} as {@code client} received it. A fresh client may first receive an event
     * published just before it connected, when the subscriber hands that event on after the client registered:
     * the event it resumes after must be the one the test published for it.
     */
    private static String idOf(SseTestClient client, int sequence) throws Exception {
        return client.next(event -> event.name().equals("queue_update")
                && Events.sequences(List.of(event)).equals(List.of(sequence)), WAIT).id();
    }
}
