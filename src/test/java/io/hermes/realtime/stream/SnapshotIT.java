package io.hermes.realtime.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.SseEvent;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestPublisher;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The opening snapshot of views ({@code ?snapshot=}): right after {@code connected}, each named view's
 * body exactly as its polling endpoint answers the same caller, scoped to the caller's owner; not on a
 * resume, again after a resync; refused before the stream starts when it names what does not exist.
 */
class SnapshotIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Every view, with the queries the dashboard uses, and the polling request each one stands for. */
    private static final Map<String, String> POLLED = new LinkedHashMap<>();

    static {
        POLLED.put("queue", "/queue?limit=50");
        POLLED.put("stats", "/stats?period=week");
        POLLED.put("timeline", "/timeline?period=week");
        POLLED.put("timeline_summary", "/timeline/summary?period=week");
        POLLED.put("storage", "/storage");
        POLLED.put("notifications", "/notifications?limit=20");
    }

    private static final String ALL_VIEWS = "snapshot=queue,stats,timeline,timeline_summary,storage,notifications"
            + "&queue.limit=50&stats.period=week&timeline.period=week&timeline_summary.period=week&notifications.limit=20";

    private final TestRedis redis = TestRedis.shared();
    private TestServer server;
    private String alice;
    private String bob;
    private final List<String> aliceDownloads = new ArrayList<>();
    private String bobDownload;

    @BeforeEach
    void start() throws Exception {
        redis.flush();
        server = TestServer.start(redis, Map.of(Settings.WORKER_ENABLED, "false"));
        alice = key("alice");
        bob = key("bob");
        for (int i = 0; i < 3; i++) {
            aliceDownloads.add(server.downloads(alice).submit("https://example.com/alice-" + i + ".bin"));
        }
        bobDownload = server.downloads(bob).submit("https://example.com/bob.bin");
        // A finished download of each, so statistics and timeline have something to scope.
        assertEquals(200, Http.postJson(server.api("/download/" + aliceDownloads.get(0) + "/cancel"), "{}", alice)
                .statusCode());
        assertEquals(200, Http.postJson(server.api("/download/" + bobDownload + "/cancel"), "{}", bob).statusCode());
        for (int i = 0; i < 3; i++) {
            assertEquals(201, server.post("/notifications", "{\"message\": \"note " + i + "\"}").statusCode());
        }
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private String key(String owner) throws Exception {
        HttpResponse<String> created = server.post("/auth/api-keys",
                "{\"name\":\"" + owner + "\",\"permissions\":[\"read\",\"write\"],\"owner\":\"" + owner + "\"}");
        return Events.json(created.body()).path("key").asText();
    }

    private SseTestClient stream(String query, String key, Map<String, String> headers) throws Exception {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Authorization", "Bearer " + key);
        return SseTestClient.open(server.api("/events/stream" + query), all);
    }

    /** The snapshot events that follow {@code connected}, up to the first item that is not one. */
    private static Map<String, JsonNode> snapshots(SseTestClient stream, int expected) throws Exception {
        stream.awaitConnected(WAIT);
        Map<String, JsonNode> views = new LinkedHashMap<>();
        while (views.size() < expected) {
            SseEvent event = stream.next(WAIT);
            if (event.name().equals(":")) {
                continue;
            }
            assertEquals("snapshot", event.name(), "after connected: " + event);
            assertEquals(null, event.id(), "a snapshot is no replayable event");
            JsonNode data = Events.json(event.data());
            assertTrue(data.path("error").isNull(), event.data());
            views.put(data.path("view").asText(), data);
        }
        return views;
    }

    @Test
    void snapshotCarriesExactlyWhatEachPollingEndpointAnswersTheSameCaller() throws Exception {
        for (String key : List.of(alice, bob, TestServer.ADMIN_KEY)) {
            Map<String, JsonNode> views;
            try (SseTestClient stream = stream("?" + ALL_VIEWS, key, Map.of())) {
                assertEquals(200, stream.status());
                views = snapshots(stream, POLLED.size());
            }
            assertEquals(List.copyOf(POLLED.keySet()), List.copyOf(views.keySet()), "in the order asked for");
            for (Map.Entry<String, String> view : POLLED.entrySet()) {
                HttpResponse<String> polled = Http.get(server.api(view.getValue()), key);
                assertEquals(200, polled.statusCode());
                JsonNode expected = Events.json(polled.body());
                JsonNode actual = views.get(view.getKey()).path("data");
                if (view.getKey().equals("storage")) {
                    // The file system's used and free bytes move whenever anything on the disk writes.
                    for (JsonNode body : List.of(expected, actual)) {
                        ((ObjectNode) body).remove(List.of("usedSpace", "freeSpace", "usagePercentage"));
                    }
                }
                assertEquals(expected, actual, view.getKey() + " for " + key);
            }
            assertEquals("50", views.get("queue").path("query").path("limit").asText());
            assertEquals("week", views.get("stats").path("query").path("period").asText());
            assertEquals(0, views.get("storage").path("query").size());
        }
    }

    @Test
    void snapshotAfterAWriteCarriesTheNewBodyThatTheEndpointAnswersUnderANewETag() throws Exception {
        String path = "/queue?limit=50";
        HttpResponse<String> before = Http.get(server.api(path), alice);
        String etag = before.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, Http.send(Http.request(server.api(path), alice).header("If-None-Match", etag).GET())
                .statusCode(), "unchanged, answered from its version");
        try (SseTestClient stream = stream("?snapshot=queue&queue.limit=50", alice, Map.of())) {
            assertEquals(Events.json(before.body()), snapshots(stream, 1).get("queue").path("data"));
        }

        String added = server.downloads(alice).submit("https://example.com/alice-late.bin");

        HttpResponse<String> after = Http.send(Http.request(server.api(path), alice).header("If-None-Match", etag).GET());
        assertEquals(200, after.statusCode(), "the submission bumped the queue's version");
        assertNotEquals(etag, after.headers().firstValue("ETag").orElseThrow());
        try (SseTestClient stream = stream("?snapshot=queue&queue.limit=50", alice, Map.of())) {
            JsonNode snapshot = snapshots(stream, 1).get("queue").path("data");
            assertEquals(Events.json(after.body()), snapshot);
            assertEquals(added, snapshot.path("items").path(0).path("downloadId").asText(), "newest first");
        }
    }

    @Test
    void snapshotShowsEachOwnerOnlyTheirDownloads() throws Exception {
        Map<String, Set<String>> seen = new LinkedHashMap<>();
        for (String key : List.of(alice, bob, TestServer.ADMIN_KEY)) {
            try (SseTestClient stream = stream("?snapshot=queue,stats&queue.limit=50", key, Map.of())) {
                Map<String, JsonNode> views = snapshots(stream, 2);
                Set<String> ids = new HashSet<>();
                views.get("queue").path("data").path("items").forEach(item -> ids.add(item.path("downloadId").asText()));
                seen.put(key, ids);
                long cancelled = views.get("stats").path("data").path("totalDownloads").asLong();
                assertEquals(key.equals(TestServer.ADMIN_KEY) ? 2 : 1, cancelled, "finished downloads " + key);
            }
        }
        assertEquals(Set.copyOf(aliceDownloads), seen.get(alice));
        assertEquals(Set.of(bobDownload), seen.get(bob));
        Set<String> all = new HashSet<>(aliceDownloads);
        all.add(bobDownload);
        assertEquals(all, seen.get(TestServer.ADMIN_KEY));
    }

    @Test
    void resumingClientGetsTheReplayWithoutSnapshotAndAResyncBringsItAgain() throws Exception {
        String lastId;
        try (TestPublisher publisher = new TestPublisher(redis);
                SseTestClient first = stream("?channels=queue&snapshot=queue", alice, Map.of())) {
            snapshots(first, 1);
            aliceUpdate(publisher, 1);
            lastId = first.next(event -> event.name().equals("queue_update"), WAIT).id();
            aliceUpdate(publisher, 2);
            aliceUpdate(publisher, 3);
        }
        try (SseTestClient resumed = stream("?channels=queue&snapshot=queue", alice, Map.of("Last-Event-ID", lastId))) {
            resumed.awaitConnected(WAIT);
            List<SseEvent> replayed = resumed.events("queue_update", 2, WAIT);
            assertEquals(List.of(2, 3), Events.sequences(replayed));
            assertFalse(resumed.rawText().contains("event: snapshot"), resumed.rawText());
        }
        try (SseTestClient resynced = stream("?channels=queue&snapshot=queue", alice, Map.of("Last-Event-ID", "not-an-id"))) {
            resynced.awaitConnected(WAIT);
            SseEvent resync = resynced.next(event -> !event.name().equals(":"), WAIT);
            assertEquals("resync", resync.name());
            assertTrue(Events.json(resync.data()).path("snapshot_follows").asBoolean(), resync.data());
            SseEvent snapshot = resynced.next(event -> !event.name().equals(":"), WAIT);
            assertEquals("snapshot", snapshot.name());
            assertEquals(3, Events.json(snapshot.data()).path("data").path("items").size());
        }
        // Without views asked for, a resync keeps the contract's shape, {"reason"} alone.
        try (SseTestClient plain = stream("?channels=queue", alice, Map.of("Last-Event-ID", "not-an-id"))) {
            SseEvent resync = plain.next(event -> event.name().equals("resync"), WAIT);
            assertEquals(List.of("reason"), fieldNames(Events.json(resync.data())));
        }
    }

    /** A queue update about one of alice's downloads, which her streams carry. */
    private static void aliceUpdate(TestPublisher publisher, int seq) {
        publisher.publish(io.hermes.realtime.bus.Channel.QUEUE, Map.of("action", "status_changed", "download_id",
                "d" + seq, "status", "queued", "seq", seq), "alice");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void streamThatAsksForNoSnapshotIsUnchanged() throws Exception {
        try (TestPublisher publisher = new TestPublisher(redis);
                SseTestClient stream = stream("?channels=queue", alice, Map.of())) {
            stream.awaitConnected(WAIT);
            aliceUpdate(publisher, 7);
            SseEvent next = stream.next(event -> !event.name().equals(":"), WAIT);
            assertEquals("queue_update", next.name(), "the first event after connected");
        }
    }

    @Test
    void unknownViewOrBadViewParameterIsRefusedBeforeTheStreamStarts() throws Exception {
        try (SseTestClient unknown = stream("?snapshot=queue,everything", alice, Map.of())) {
            assertEquals(400, unknown.status());
            assertTrue(unknown.header("Content-Type").startsWith("application/json"));
            String detail = Events.json(unknown.errorBody()).path("detail").asText();
            assertTrue(detail.contains("Unknown view") && detail.contains("timeline_summary"), detail);
        }
        try (SseTestClient badPeriod = stream("?snapshot=stats&stats.period=decade", alice, Map.of())) {
            assertEquals(422, badPeriod.status());
            assertTrue(Events.json(badPeriod.errorBody()).path("detail").asText().contains("period"));
        }
        try (SseTestClient badLimit = stream("?snapshot=queue&queue.limit=1000", alice, Map.of())) {
            assertEquals(422, badLimit.status());
        }
        assertEquals(0, server.activeStreams(), "no refused request left a stream behind");
    }

    @Test
    void onlyAnEventsTokenOrAKeyMayAskForSnapshots() throws Exception {
        String queueToken = token("queue");
        try (SseTestClient scoped = SseTestClient.open(server.api("/events/queue?snapshot=queue&token=" + queueToken))) {
            assertEquals(403, scoped.status());
            assertTrue(Events.json(scoped.errorBody()).path("detail").asText().contains("snapshots"));
        }
        String eventsToken = token("events");
        try (SseTestClient events = SseTestClient.open(server.api("/events/stream?snapshot=queue&queue.limit=50&token="
                + eventsToken))) {
            assertEquals(200, events.status());
            Map<String, JsonNode> views = snapshots(events, 1);
            assertEquals(3, views.get("queue").path("data").path("items").size(), "alice's downloads only");
        }
    }

    private String token(String scope) throws Exception {
        HttpResponse<String> issued = Http.postJson(server.api("/events/token"), "{\"scope\":\"" + scope + "\"}", alice);
        assertEquals(200, issued.statusCode(), issued.body());
        return Events.json(issued.body()).path("token").asText();
    }
}
