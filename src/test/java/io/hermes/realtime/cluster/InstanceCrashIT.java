package io.hermes.realtime.cluster;

import static io.hermes.realtime.testing.Events.range;
import static io.hermes.realtime.testing.Events.sequences;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.bus.EventPublisher;
import io.hermes.realtime.testing.Downloads;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.FileServer;
import io.hermes.realtime.testing.ServerProcess;
import io.hermes.realtime.testing.SseEvent;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestPublisher;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.StreamEntry;

/**
 * An instance is killed with SIGKILL in the middle of a download, in a JVM of its own: no shutdown runs.
 * Another instance recovers the download when its lease expires and completes it; the dead instance's
 * clients reconnect to the other one with Last-Event-ID and miss nothing, and see nothing twice.
 */
class InstanceCrashIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int LEASE_SECONDS = 3;
    private static final long PIECES = 250;
    /** 250 pieces of 64 KiB, one every 40 ms: 10 s, so it is still running when its instance dies. */
    private static final String DOWNLOAD = "/slow/" + PIECES * 64 * 1024;
    private static final String DOWNLOAD_CHANNELS = "/events/stream?channels=download,queue";

    @TempDir
    Path work;
    @TempDir
    Path downloads;
    @TempDir
    Path temp;

    @Test
    void downloadsAndClientsOfAnInstanceKilledMidDownloadCarryOnAtAnother() throws Exception {
        TestRedis redis = TestRedis.shared();
        redis.flush();
        Map<String, String> settings = Map.of(Settings.DOWNLOAD_DIR, downloads.toString(),
                Settings.TEMP_DIR, temp.toString(), Settings.ALLOW_PRIVATE_URLS, "true",
                Settings.WORKER_LEASE, Integer.toString(LEASE_SECONDS), Settings.HEARTBEAT_INTERVAL, "1");
        Path childLog = Path.of("target", "InstanceCrashIT-child.log");
        try (FileServer files = new FileServer(40);
             TestPublisher publisher = new TestPublisher(redis);
             ServerProcess doomed = ServerProcess.start(redis, settings, work, childLog)) {
            Map<String, String> admin = Map.of("Authorization", "Bearer " + TestServer.ADMIN_KEY);
            SseTestClient watcher = SseTestClient.open(doomed.api(DOWNLOAD_CHANNELS), admin);
            SseTestClient reader = SseTestClient.open(doomed.api("/events/system"), admin);
            watcher.awaitConnected(WAIT);
            reader.next(event -> event.name().equals("init"), WAIT);

            // Submitted while the doomed instance is the only one with a worker, so it runs there.
            String id = new Downloads(doomed::api, TestServer.ADMIN_KEY).submit(files.uri(DOWNLOAD).toString());
            watcher.next(progressOf(id, "downloading", 1), WAIT);
            for (int seq = 0; seq < 5; seq++) {
                publisher.publish(Channel.SYSTEM, Map.of("seq", seq));
            }
            List<SseEvent> seenBefore = reader.events("system_notification", 5, WAIT);
            assertEquals(range(0, 5), sequences(seenBefore));

            try (TestServer survivor = TestServer.start(redis, settings)) {
                String lastNotification = seenBefore.get(4).id();
                String lastDownloadEvent = lastIdOf(watcher.next(progressOf(id, "downloading", 1), WAIT), watcher);

                long killedAt = System.nanoTime();
                doomed.kill();
                assertTrue(watcher.awaitEnd(WAIT) && reader.awaitEnd(WAIT), "the dead instance's streams end");
                for (int seq = 5; seq < 10; seq++) {
                    publisher.publish(Channel.SYSTEM, Map.of("seq", seq)); // while its clients are away
                }

                // The browsers reconnect, to the other instance, with the last id each one saw.
                try (SseTestClient resumedReader = survivor.stream("/events/system",
                             Map.of("Last-Event-ID", lastNotification));
                     SseTestClient resumedWatcher = survivor.stream(DOWNLOAD_CHANNELS,
                             Map.of("Last-Event-ID", lastDownloadEvent))) {
                    publisher.publish(Channel.SYSTEM, Map.of("seq", 10));
                    assertEquals(range(5, 11), sequences(resumedReader.events("system_notification", 6, WAIT)));

                    List<SseEvent> resumed = new ArrayList<>();
                    SseEvent event;
                    long recoveredAt = 0;
                    do {
                        event = resumedWatcher.next(WAIT);
                        if (event.id() != null) {
                            resumed.add(event);
                        }
                        if (recoveredAt == 0 && requeued(id).test(event)) {
                            recoveredAt = System.nanoTime();
                        }
                    } while (!progressOf(id, "completed", 0).test(event));
                    long completedAt = System.nanoTime();

                    assertEquals(idsInTheReplayStream(redis, lastDownloadEvent, event.id()),
                            resumed.stream().map(SseEvent::id).toList(),
                            "after its last id the client received every download and queue event, once, in order");
                    assertTrue(recoveredAt > 0, "the download was re-queued by the survivor");
                    JsonNode done = Events.json(survivor.get("/download/" + id).body());
                    assertEquals("completed", done.path("status").asText());
                    assertEquals(2, files.requestsFor(DOWNLOAD), "fetched by the dead instance, then by the survivor");
                    Path file = downloads.resolve(done.path("result").path("title").asText());
                    assertEquals(PIECES * 64 * 1024, Files.size(file));
                    try (var landed = Files.list(downloads)) {
                        assertEquals(1, landed.count(), "one file, not a leftover of the dead attempt");
                    }
                    System.out.printf("InstanceCrashIT: after SIGKILL the download was re-queued in %d ms (lease"
                            + " %d s) and completed in %d ms; the resumed client received %d events after its last"
                            + " id, none missing%n", TimeUnit.NANOSECONDS.toMillis(recoveredAt - killedAt),
                            LEASE_SECONDS, TimeUnit.NANOSECONDS.toMillis(completedAt - killedAt), resumed.size());
                }
            }
        }
    }

    /** A download_progress event about {@code id} in {@code status}, with at least {@code bytes} downloaded. */
    private static Predicate<SseEvent> progressOf(String id, String status, long bytes) {
        return event -> {
            if (!event.name().equals("download_progress")) {
                return false;
            }
            JsonNode data = Events.json(event.data());
            return data.path("download_id").asText().equals(id) && data.path("status").asText().equals(status)
                    && data.path("progress").path("downloaded_bytes").asLong() >= bytes;
        };
    }

    /** The event the survivor publishes when it takes the download back from the dead instance. */
    private static Predicate<SseEvent> requeued(String id) {
        return event -> event.name().equals("download_progress")
                && Events.json(event.data()).path("download_id").asText().equals(id)
                && Events.json(event.data()).path("message").asText().startsWith("Re-queued");
    }

    /** The id of the last event {@code client} has received so far, {@code latest} or later. */
    private static String lastIdOf(SseEvent latest, SseTestClient client) {
        String last = latest.id();
        for (SseEvent event : client.drainReceived()) {
            if (event.id() != null) {
                last = event.id();
            }
        }
        return last;
    }

    /** Ids of download and queue events in the replay stream after {@code after}, up to {@code upTo}. */
    private static List<String> idsInTheReplayStream(TestRedis redis, String after, String upTo) {
        Set<String> channels = Set.of(Channel.DOWNLOAD.redisName(), Channel.QUEUE.redisName());
        try (Jedis jedis = redis.client()) {
            List<StreamEntry> entries = jedis.xrange(EventPublisher.REPLAY_STREAM, "(" + after, upTo);
            return entries.stream()
                    .filter(entry -> channels.contains(entry.getFields().get("channel")))
                    .map(entry -> entry.getID().toString())
                    .toList();
        }
    }
}
