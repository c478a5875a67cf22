package io.hermes.realtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.ServerProcess;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server stopped as operators and orchestrators stop one, with SIGTERM, ends its streams with a
 * {@code retry:} spread between one and three times the usual, so its browsers do not all come back at the
 * same moment (a reconnect storm), even when the container closes its connections without waiting.
 */
class GracefulStopIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int RETRY_MS = 3000;
    private static final Pattern RETRY = Pattern.compile("(?m)^retry: ?(\\d+)$");

    @TempDir
    Path work;

    @Test
    void aServerStoppedWithSigtermEndsItsStreamsWithAJitteredRetry() throws Exception {
        TestRedis redis = TestRedis.shared();
        redis.flush();
        Path log = Path.of("target", "GracefulStopIT-child.log");
        List<SseTestClient> clients = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(redis, Map.of(Settings.WORKER_ENABLED, "false",
                Settings.RETRY_MS, Integer.toString(RETRY_MS)), work, log)) {
            for (int i = 0; i < 10; i++) {
                SseTestClient client = SseTestClient.open(server.api("/events/system"),
                        Map.of("Authorization", "Bearer " + TestServer.ADMIN_KEY));
                client.awaitConnected(WAIT);
                clients.add(client);
            }
            server.terminate();
        }
        List<Integer> last = new ArrayList<>();
        for (SseTestClient client : clients) {
            assertTrue(client.awaitEnd(WAIT), "the stream ended");
            Matcher retries = RETRY.matcher(client.rawText());
            List<Integer> values = new ArrayList<>();
            while (retries.find()) {
                values.add(Integer.parseInt(retries.group(1)));
            }
            assertEquals(RETRY_MS, values.get(0), "the opening retry: is the usual one");
            assertEquals(2, values.size(), "a second retry: came as the server stopped: " + client.rawText());
            int parting = values.get(1);
            assertTrue(parting >= RETRY_MS && parting <= 3 * RETRY_MS, "spread over 1–3 retry intervals: " + parting);
            last.add(parting);
            client.close();
        }
        assertTrue(last.stream().distinct().count() > 1, "different clients were told different times: " + last);
        System.out.printf("GracefulStopIT: parting retry: values %s ms%n", last);
    }
}
