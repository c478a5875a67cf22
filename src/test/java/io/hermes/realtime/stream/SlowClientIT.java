package io.hermes.realtime.stream;

import static io.hermes.realtime.testing.Events.range;
import static io.hermes.realtime.testing.Events.sequences;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hermes.realtime.app.Settings;
import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.SseEvent;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestPublisher;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A client that stops reading is cut off; everyone else keeps receiving. */
class SlowClientIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int EVENTS = 5000;
    /** Published before waiting for the fast client: half its buffer, so only the stalled client can overflow. */
    private static final int CHUNK = 500;

    @Test
    void clientThatStopsReadingIsCutOffWhileOthersKeepReceiving() throws Exception {
        TestRedis redis = TestRedis.shared();
        redis.flush();
        try (TestServer server = TestServer.start(Map.of(Settings.CLIENT_BUFFER, "1000"));
             TestPublisher publisher = new TestPublisher(redis);
             SseTestClient fast = server.stream("/events/queue");
             Socket stalled = new Socket()) {
            fast.awaitConnected(WAIT);
            stalled.setReceiveBufferSize(4096); // the kernel then holds little on its behalf
            stalled.connect(new InetSocketAddress("127.0.0.1", server.port()));
            OutputStream request = stalled.getOutputStream();
            request.write(("GET /api/v1/events/queue HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestServer.ADMIN_KEY
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            request.flush();
            server.awaitActiveStreams(2, WAIT);

            String padding = "x".repeat(2000); // 10 MB in all: beyond what socket buffers and the queue absorb
            List<SseEvent> received = new ArrayList<>();
            for (int start = 0; start < EVENTS; start += CHUNK) {
                // On a busy machine the fast reader can trail the publisher too; pacing by what it has
                // received keeps its queue under the buffer while the stalled client's keeps growing.
                for (int seq = start; seq < start + CHUNK; seq++) {
                    publisher.publish(Channel.QUEUE, Map.of("seq", seq, "padding", padding));
                }
                received.addAll(fast.events("queue_update", CHUNK, WAIT));
            }
            assertEquals(range(0, EVENTS), sequences(received));
            server.awaitActiveStreams(1, WAIT);
        }
    }
}
