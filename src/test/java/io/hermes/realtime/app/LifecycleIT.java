package io.hermes.realtime.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.SseEvent;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Undeploying the WAR ends every stream cleanly and leaves no thread of ours behind. */
class LifecycleIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void undeployEndsStreamsWithAJitteredRetryAndLeavesNoThreadBehind() throws Exception {
        TestRedis.shared().flush();
        try (TestServer server = TestServer.start(Map.of())) {
            assertTrue(!hermesThreads().isEmpty(), "the application runs threads of its own");
            try (SseTestClient client = server.stream("/events/stream")) {
                client.awaitConnected(WAIT);
                server.undeploy();
                SseEvent last = client.next(event -> event.name().equals("retry"), WAIT);
                int retry = Integer.parseInt(last.data());
                assertTrue(retry >= 3000 && retry <= 9000, "jittered retry around the configured 3000 ms: " + retry);
                assertTrue(client.awaitEnd(WAIT), "the stream ends");
            }
            assertEquals(List.of(), Await.atMost(WAIT, LifecycleIT::hermesThreads, List::isEmpty));
        }
    }

    private static List<String> hermesThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("hermes-") || name.startsWith("commons-pool"))
                .sorted()
                .toList();
    }
}
