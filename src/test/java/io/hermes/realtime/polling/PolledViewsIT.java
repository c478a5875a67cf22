package io.hermes.realtime.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.downloads.DownloadStore;
import io.hermes.realtime.downloads.Status;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.MutableClock;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import io.hermes.realtime.testing.ViewBump;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;

/**
 * The polled views answered from their version in {@code hermes:views}: every write that changes a view
 * changes its ETag, a matching {@code If-None-Match} is a bodiless 304, owners never share ETags or
 * bodies, and the bodies are byte for byte those of before the validator. The worker is off and the
 * server's clock stands still unless a test moves it, so every change is the test's own.
 */
class PolledViewsIT {
    private static final Json JSON = new Json();
    private static final String STATS = "/stats?period=week";

    private final TestRedis redis = TestRedis.shared();
    @TempDir
    Path files;
    private MutableClock clock;
    private TestServer server;
    private JedisPooled pooled;
    private DownloadStore store;
    private String alice;
    private String bob;
    private final String admin = TestServer.ADMIN_KEY;

    /** A polled view as one caller sees it. */
    private record View(String name, DataSet data, String path, String key) {
    }

    @BeforeEach
    void start() throws Exception {
        redis.flush();
        clock = new MutableClock(LocalDate.now(ZoneOffset.UTC).atTime(LocalTime.NOON).toInstant(ZoneOffset.UTC));
        Files.createDirectories(files.resolve("downloads"));
        server = TestServer.start(redis, Map.of(Settings.WORKER_ENABLED, "false",
                Settings.DOWNLOAD_DIR, files.resolve("downloads").toString(),
                Settings.TEMP_DIR, files.resolve("temp").toString()), clock);
        alice = key("alice");
        bob = key("bob");
        pooled = new JedisPooled(redis.url());
        // The worker's own store, on the server's clock: claims, progress and outcomes as the worker records them.
        store = new DownloadStore(pooled, clock);
    }

    @AfterEach
    void stop() throws Exception {
        if (pooled != null) {
            pooled.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private String key(String owner) throws Exception {
        HttpResponse<String> created = server.post("/auth/api-keys",
                "{\"name\":\"" + owner + "\",\"permissions\":[\"read\",\"write\"],\"owner\":\"" + owner + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        return Events.json(created.body()).path("key").asText();
    }

    private List<View> views() {
        List<View> views = new ArrayList<>();
        for (String who : List.of("alice", "admin")) {
            String key = who.equals("alice") ? alice : admin;
            views.add(new View("queue as " + who, DataSet.DOWNLOADS, "/queue?limit=50", key));
            views.add(new View("stats as " + who, DataSet.HISTORY, STATS, key));
            views.add(new View("timeline as " + who, DataSet.HISTORY, "/timeline?period=week", key));
            views.add(new View("timeline summary as " + who, DataSet.HISTORY, "/timeline/summary", key));
            views.add(new View("history as " + who, DataSet.HISTORY, "/history", key));
        }
        views.add(new View("queue of queued as admin", DataSet.DOWNLOADS, "/queue?status=pending&limit=5", admin));
        views.add(new View("notifications", DataSet.NOTIFICATIONS, "/notifications?limit=10", alice));
        return views;
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        return Http.get(server.api(path), key);
    }

    private HttpResponse<String> getIfNoneMatch(String path, String key, String etag) throws Exception {
        return Http.send(Http.request(server.api(path), key).header("If-None-Match", etag).GET());
    }

    private static String etag(HttpResponse<?> response) {
        return response.headers().firstValue("ETag").orElseThrow(() -> new AssertionError("no ETag: " + response.uri()));
    }

    /** Claims the next queued download, which must be {@code id}, as a worker would. */
    private void claim(String id, long leaseMillis) {
        assertEquals(id, store.claim(leaseMillis).orElseThrow());
    }

    private void transition(String id, Status to, Map<String, String> fields) {
        assertTrue(store.transition(id, to, Set.of(Status.DOWNLOADING, Status.PROCESSING), fields).applied(), to.wire());
    }

    @Test
    void everyWriteChangesTheETagsOfTheViewsItChangesAndNoOthers() throws Exception {
        Map<View, String> etags = new LinkedHashMap<>();
        for (View view : views()) {
            HttpResponse<String> first = get(view.path(), view.key());
            assertEquals(200, first.statusCode(), view.name() + ": " + first.body());
            etags.put(view, etag(first));
        }

        String first = server.downloads(alice).submit("https://example.org/one");
        expectNewETags(etags, "submit", DataSet.DOWNLOADS);

        List<String> batchIds = server.downloads(alice)
                .submitBatch("https://example.org/two", "https://example.org/three");
        expectNewETags(etags, "batch", DataSet.DOWNLOADS);

        claim(first, 30_000);
        expectNewETags(etags, "claim", DataSet.DOWNLOADS);

        assertTrue(store.recordProgress(first, "{\"percentage\":50.0,\"status\":\"downloading\",\"downloaded_bytes\":5,"
                + "\"total_bytes\":10,\"speed\":1.0,\"eta\":5}", "{}", "one.bin", 30_000));
        expectNewETags(etags, "progress", DataSet.DOWNLOADS);

        transition(first, Status.COMPLETED, Map.of("completed_at", "2026-01-01T00:00:00.000Z", "file_size", "10",
                "message", "Download completed"));
        expectNewETags(etags, "complete", DataSet.DOWNLOADS, DataSet.HISTORY);

        claim(batchIds.get(0), 30_000);
        expectNewETags(etags, "second claim", DataSet.DOWNLOADS);
        transition(batchIds.get(0), Status.FAILED, Map.of("error", "boom", "error_type", "network"));
        expectNewETags(etags, "fail", DataSet.DOWNLOADS, DataSet.HISTORY);

        assertTrue(Events.json(Http.postJson(server.api("/download/" + batchIds.get(1) + "/cancel"), "{}", alice).body())
                .path("cancelled").asBoolean());
        expectNewETags(etags, "cancel", DataSet.DOWNLOADS, DataSet.HISTORY);

        // A refused change writes nothing, so it changes nothing.
        assertFalse(Events.json(Http.postJson(server.api("/download/" + first + "/cancel"), "{}", alice).body())
                .path("cancelled").asBoolean());
        expectNewETags(etags, "refused cancel");

        assertEquals(200, Http.delete(server.api("/download/" + first), alice).statusCode());
        expectNewETags(etags, "delete", DataSet.DOWNLOADS, DataSet.HISTORY);

        String lost = server.downloads(alice).submit("https://example.org/lost");
        expectNewETags(etags, "submit again", DataSet.DOWNLOADS);
        claim(lost, 0); // a lease that has expired already: the worker "died"
        expectNewETags(etags, "claim with an expired lease", DataSet.DOWNLOADS);
        assertEquals(Status.QUEUED, store.recoverExpired(3).get(lost).status());
        expectNewETags(etags, "recover to the queue", DataSet.DOWNLOADS);
        claim(lost, 30_000);
        expectNewETags(etags, "claim once more", DataSet.DOWNLOADS);
        assertTrue(store.requeue(lost));
        expectNewETags(etags, "requeue at shutdown", DataSet.DOWNLOADS);
        claim(lost, 0);
        expectNewETags(etags, "claim, expired again", DataSet.DOWNLOADS);
        assertEquals(Status.FAILED, store.recoverExpired(1).get(lost).status());
        expectNewETags(etags, "recover to failed", DataSet.DOWNLOADS, DataSet.HISTORY);

        assertEquals(201, server.post("/notifications", "{\"message\":\"hello\"}").statusCode());
        expectNewETags(etags, "notification", DataSet.NOTIFICATIONS);
    }

    /**
     * Asks every view again with the ETag it had: the views of {@code changed} data sets must answer 200
     * with a new ETag (their 304 would be stale), all others 304.
     */
    private void expectNewETags(Map<View, String> etags, String step, DataSet... changed) throws Exception {
        Set<DataSet> changedSets = Set.of(changed);
        for (Map.Entry<View, String> entry : etags.entrySet()) {
            View view = entry.getKey();
            HttpResponse<String> again = getIfNoneMatch(view.path(), view.key(), entry.getValue());
            if (changedSets.contains(view.data())) {
                assertEquals(200, again.statusCode(), step + " changes " + view.name());
                assertNotEquals(entry.getValue(), etag(again), step + " changes the ETag of " + view.name());
                entry.setValue(etag(again));
            } else {
                assertEquals(304, again.statusCode(), step + " leaves " + view.name() + " as it was");
                assertEquals(entry.getValue(), etag(again), view.name());
            }
        }
    }

    @Test
    void aMatchingETagIs304WithoutABodyAndAStaleOrOldOneIs200() throws Exception {
        server.downloads(alice).submit("https://example.org/one");
        server.post("/notifications", "{\"message\":\"hello\"}");
        store.transition(server.downloads(alice).submit("https://example.org/two"), Status.CANCELLED, null, Map.of());
        for (View view : views()) {
            HttpResponse<String> first = get(view.path(), view.key());
            String etag = etag(first);
            assertTrue(etag.startsWith("\"pv-"), view.name() + " answers from its version: " + etag);

            HttpResponse<String> same = getIfNoneMatch(view.path(), view.key(), etag);
            assertEquals(304, same.statusCode(), view.name());
            assertEquals("", same.body(), view.name());
            assertEquals(etag, etag(same));
            assertEquals("no-cache", same.headers().firstValue("Cache-Control").orElse(""));
            assertEquals(304, getIfNoneMatch(view.path(), view.key(), "\"other\", W/" + etag).statusCode(),
                    view.name() + ": a list, and the weak form, match too");

            HttpResponse<String> stale = getIfNoneMatch(view.path(), view.key(), "\"pv-00000000000000000000000000000000\"");
            assertEquals(200, stale.statusCode(), view.name());
            assertEquals(first.body(), stale.body(), view.name());

            // What a client polling before this change holds: the hash of the body.
            HttpResponse<String> old = getIfNoneMatch(view.path(), view.key(), bodyHashETag(first.body()));
            assertEquals(200, old.statusCode(), view.name() + " answers an ETag from before the validator with a 200");
            assertEquals(first.body(), old.body(), view.name());
            assertEquals(etag, etag(old));
        }
    }

    /** The ETag {@code Json.respondPolled} gave every polled view before the validator. */
    private static String bodyHashETag(String body) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
        return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    }

    @Test
    void ownersNeverShareETagsOrBodies() throws Exception {
        String alices = server.downloads(alice).submit("https://example.org/alice");
        String bobs = server.downloads(bob).submit("https://example.org/bob");
        store.transition(bobs, Status.CANCELLED, null, Map.of());
        for (String path : List.of("/queue", STATS, "/timeline?period=week", "/timeline/summary", "/history")) {
            // Twice each, so the second answers come from the rendered bodies kept by the server.
            for (int round = 0; round < 2; round++) {
                HttpResponse<String> ofAlice = get(path, alice);
                HttpResponse<String> ofBob = get(path, bob);
                HttpResponse<String> ofAdmin = get(path, admin);
                assertNotEquals(etag(ofAlice), etag(ofBob), path);
                assertNotEquals(etag(ofAlice), etag(ofAdmin), path);
                assertNotEquals(etag(ofBob), etag(ofAdmin), path);
                assertFalse(ofAlice.body().contains(bobs), path + ": alice never sees bob's download");
                assertFalse(ofBob.body().contains(alices), path + ": bob never sees alice's download");
                HttpResponse<String> bobWithAlicesETag = getIfNoneMatch(path, bob, etag(ofAlice));
                assertEquals(200, bobWithAlicesETag.statusCode(), path);
                assertEquals(ofBob.body(), bobWithAlicesETag.body(), path);
            }
        }
        assertTrue(get("/queue", alice).body().contains(alices));
        assertTrue(get("/queue", bob).body().contains(bobs));
        String adminQueue = get("/queue", admin).body();
        assertTrue(adminQueue.contains(alices) && adminQueue.contains(bobs), "admin sees all");
        assertTrue(get("/history", bob).body().contains(bobs), "bob's cancelled download is in his history");
    }

    @Test
    void queueBodiesAreByteForByteWhatTheServletBuiltBefore() throws Exception {
        String downloading = server.downloads(alice).submit("https://example.org/running?q=caf%C3%A9");
        String completed = server.downloads(alice).submit("https://www.example.org/done");
        server.downloads(alice).submit("https://example.org/waiting");
        claim(downloading, 30_000);
        store.recordProgress(downloading, "{\"percentage\":12.5,\"status\":\"downloading\",\"downloaded_bytes\":1250,"
                + "\"total_bytes\":10000,\"speed\":1.2345678E7,\"eta\":3}", "{}", "running.bin", 30_000);
        claim(completed, 30_000);
        transition(completed, Status.COMPLETED, Map.of("completed_at", "2026-01-01T00:00:00.000Z", "file_size", "10000",
                "title", "Ünïcode \"title\"\n", "message", "Download completed", "progress",
                "{\"percentage\":100.0,\"status\":\"completed\",\"downloaded_bytes\":10000,\"total_bytes\":10000,"
                        + "\"speed\":null,\"eta\":0}"));
        server.downloads(bob).submit("https://example.org/bob");
        // Records that other writers could have left: odd progress JSON, fields missing.
        try (Jedis jedis = redis.client()) {
            odd(jedis, "odd-1", "alice", "downloading", "{\"percentage\":42,\"status\":7,\"downloaded_bytes\":12345678901,"
                    + "\"total_bytes\":null,\"speed\":\"fast\",\"eta\":1.5e3,\"percentage\":43}");
            odd(jedis, "odd-2", "alice", "downloading", "not json");
            odd(jedis, "odd-3", "bob", "queued", "[1,2]");
            odd(jedis, "odd-4", "alice", "failed", "{\"speed\":99999999999999999999999,\"status\":null}");
            odd(jedis, "odd-5", "alice", "processing", null);
            ViewBump.bump(jedis, "downloads");
        }
        List<String> paths = List.of("/queue", "/queue?limit=100", "/queue?limit=2&offset=1", "/queue?status=pending",
                "/queue?status=queued", "/queue?status=downloading", "/queue?status=completed&limit=1",
                "/queue?status=failed", "/queue?status=processing", "/queue?offset=50");
        for (String who : List.of("alice", "bob", "admin")) {
            String key = who.equals("alice") ? alice : who.equals("bob") ? bob : admin;
            String owner = who.equals("admin") ? null : who;
            for (String path : paths) {
                String expected = legacyQueue(owner, path);
                assertEquals(expected, get(path, key).body(), who + " " + path);
                assertEquals(expected, get(path, key).body(), who + " " + path + ", from the kept body");
            }
        }
    }

    private static void odd(Jedis jedis, String id, String owner, String status, String progress) {
        Map<String, String> record = new LinkedHashMap<>(Map.of("id", id, "owner", owner, "status", status,
                "url", "https://example.org/" + id, "created_at", "2026-01-0" + id.charAt(4) + "T00:00:00.000Z"));
        if (progress != null) {
            record.put("progress", progress);
        }
        jedis.hset("hermes:download:" + id, record);
        double score = 1_000 + id.charAt(4);
        for (String index : List.of("hermes:downloads", "hermes:downloads:owner:" + owner,
                "hermes:downloads:status:" + status, "hermes:downloads:owner:" + owner + ":status:" + status)) {
            jedis.zadd(index, score, id);
        }
    }

    /** {@code GET /queue} as QueueServlet and Download.statusView built it before the validator, from Redis. */
    private String legacyQueue(String owner, String path) throws IOException {
        Map<String, String> query = new LinkedHashMap<>();
        int mark = path.indexOf('?');
        if (mark >= 0) {
            for (String pair : path.substring(mark + 1).split("&")) {
                query.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        Status status = query.containsKey("status") ? Status.parseFilter(query.get("status")).orElseThrow() : null;
        int limit = Integer.parseInt(query.getOrDefault("limit", "20"));
        int offset = Integer.parseInt(query.getOrDefault("offset", "0"));
        String scope = owner == null ? "hermes:downloads" : "hermes:downloads:owner:" + owner;
        try (Jedis jedis = redis.client()) {
            Map<Status, Long> counts = new java.util.EnumMap<>(Status.class);
            for (Status each : Status.values()) {
                counts.put(each, jedis.zcard(scope + ":status:" + each.wire()));
            }
            String index = status == null ? scope : scope + ":status:" + status.wire();
            List<Map<String, Object>> items = new ArrayList<>();
            for (String id : jedis.zrevrange(index, offset, offset + limit - 1L)) {
                Map<String, String> fields = jedis.hgetAll("hermes:download:" + id);
                if (fields.containsKey("status")) {
                    items.add(legacyStatusView(JSON.mapper(), fields));
                }
            }
            long total = status == null ? counts.values().stream().mapToLong(Long::longValue).sum() : counts.get(status);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("totalItems", total);
            body.put("queued", counts.get(Status.QUEUED));
            body.put("active", counts.get(Status.DOWNLOADING) + counts.get(Status.PROCESSING));
            body.put("completed", counts.get(Status.COMPLETED));
            body.put("failed", counts.get(Status.FAILED));
            body.put("cancelled", counts.get(Status.CANCELLED));
            body.put("pending", counts.get(Status.QUEUED));
            body.put("items", items);
            return new String(JSON.mapper().writeValueAsBytes(body), StandardCharsets.UTF_8);
        }
    }

    private static Map<String, Object> legacyStatusView(ObjectMapper mapper, Map<String, String> fields) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("downloadId", fields.get("id"));
        view.put("status", fields.get("status"));
        JsonNode progress;
        try {
            progress = fields.get("progress") == null ? mapper.createObjectNode() : mapper.readTree(fields.get("progress"));
        } catch (IOException corrupt) {
            progress = mapper.createObjectNode();
        }
        Map<String, Object> progressView = new LinkedHashMap<>();
        progressView.put("percentage", number(progress, "percentage", 0));
        // The record's status, not the stored step's (issue 14: a cancelled download said "downloading").
        progressView.put("status", fields.get("status"));
        progressView.put("downloadedBytes", number(progress, "downloaded_bytes", 0));
        progressView.put("totalBytes", number(progress, "total_bytes", null));
        progressView.put("speed", number(progress, "speed", null));
        progressView.put("eta", number(progress, "eta", null));
        view.put("progress", progressView);
        view.put("currentFilename", fields.get("current_filename"));
        view.put("message", fields.get("message"));
        view.put("error", fields.get("error"));
        // From the submit on (contract section 7): the title is the file's name once the transfer named it.
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("url", fields.get("url"));
        result.put("title", fields.get("title") != null ? fields.get("title") : fields.get("current_filename"));
        result.put("fileSize", fields.containsKey("file_size") ? Long.parseLong(fields.get("file_size")) : null);
        result.put("duration", fields.containsKey("media_duration") ? Double.parseDouble(fields.get("media_duration")) : null);
        result.put("thumbnailUrl", fields.get("thumbnail_url"));
        result.put("extractor", fields.get("extractor"));
        result.put("description", fields.get("description"));
        result.put("files", fields.containsKey("file_path") ? List.of(fields.get("file_path")) : List.of());
        view.put("result", result);
        view.put("createdAt", fields.get("created_at"));
        view.put("startedAt", fields.get("started_at"));
        view.put("completedAt", fields.get("completed_at"));
        view.put("owner", fields.get("owner"));
        return view;
    }

    private static Object number(JsonNode node, String field, Object fallback) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? fallback : value.numberValue();
    }

    @Test
    void reportsAreByteForByteWhatHashingTheBodyGives() throws Exception {
        String done = server.downloads(alice).submit("https://example.org/done");
        claim(done, 30_000);
        transition(done, Status.COMPLETED, Map.of("completed_at", "2026-01-01T00:00:00.000Z", "file_size", "77",
                "transfer_ms", "1500", "title", "Done"));
        store.transition(server.downloads(bob).submit("https://example.org/gone"), Status.CANCELLED, null, Map.of());
        server.post("/notifications", "{\"message\":\"hello \\u00e9\",\"notificationType\":\"warning\"}");
        Files.write(files.resolve("downloads").resolve("done.bin"), new byte[77]);
        List<String> paths = List.of(STATS, "/stats?period=day", "/stats?period=year", "/timeline?period=week",
                "/timeline?period=month&status=completed", "/timeline?start_date=2025-12-30&end_date=2026-01-02",
                "/timeline/summary", "/timeline/summary?start_date=2025-12-30&end_date=2026-01-05", "/history", "/history?status=completed",
                "/history?limit=1&offset=1", "/notifications", "/notifications?limit=1", "/queue");
        Map<String, String> byVersion = new LinkedHashMap<>();
        for (String path : paths) {
            for (String key : List.of(alice, admin)) {
                HttpResponse<String> response = get(path, key);
                assertTrue(etag(response).startsWith("\"pv-"), path);
                byVersion.put(path + " " + key, response.body());
            }
        }
        // Without versions the server hashes the bodies it builds, exactly as every polled view did before.
        try (Jedis jedis = redis.client()) {
            jedis.del(ViewVersions.KEY);
        }
        for (String path : paths) {
            for (String key : List.of(alice, admin)) {
                HttpResponse<String> response = get(path, key);
                assertEquals(bodyHashETag(response.body()), etag(response), path);
                assertEquals(byVersion.get(path + " " + key), response.body(), path);
                assertEquals(304, getIfNoneMatch(path, key, etag(response)).statusCode(), path);
            }
        }
    }

    @Test
    void anotherInstanceAnswersAWriteAtOnce() throws Exception {
        server.downloads(alice).submit("https://example.org/first");
        try (TestServer other = TestServer.start(redis, Map.of(Settings.WORKER_ENABLED, "false",
                Settings.DOWNLOAD_DIR, files.resolve("other-downloads").toString(),
                Settings.TEMP_DIR, files.resolve("other-temp").toString()), clock)) {
            HttpResponse<String> before = Http.get(other.api("/queue"), alice);
            assertEquals(before.body(), Http.get(other.api("/queue"), alice).body());
            assertEquals(etag(get("/queue", alice)), etag(before), "instances of one build share ETags");
            assertEquals(304, getIfNoneMatch("/queue", alice, etag(before)).statusCode());
            String second = server.downloads(alice).submit("https://example.org/second"); // on the first instance
            HttpResponse<String> after = Http.send(Http.request(other.api("/queue"), alice)
                    .header("If-None-Match", etag(before)).GET());
            assertEquals(200, after.statusCode());
            assertTrue(after.body().contains(second), "the other instance's kept body is not used for the new version");
        }
    }

    @Test
    void reportsMoveOnWithTheDayAndTheDirectorySizeWithoutAnyWrite() throws Exception {
        store.transition(server.downloads(alice).submit("https://example.org/gone"), Status.CANCELLED, null, Map.of());
        Map<String, String> etags = new LinkedHashMap<>();
        for (String path : List.of(STATS, "/timeline?period=week", "/timeline/summary", "/history", "/queue")) {
            etags.put(path, etag(get(path, alice)));
            assertTrue(etags.get(path).startsWith("\"pv-"), path);
        }

        // The stats show the download directory's size, which is scanned again after 30 s.
        Files.write(files.resolve("downloads").resolve("new.bin"), new byte[4321]);
        clock.advance(Duration.ofSeconds(31));
        HttpResponse<String> grown = getIfNoneMatch(STATS, alice, etags.get(STATS));
        assertEquals(200, grown.statusCode());
        assertEquals(4321, Events.json(grown.body()).path("totalStorageUsed").asLong());
        etags.put(STATS, etag(grown));
        assertEquals(304, getIfNoneMatch("/timeline?period=week", alice, etags.get("/timeline?period=week")).statusCode());

        clock.advance(Duration.ofDays(1));
        for (String path : List.of(STATS, "/timeline?period=week", "/timeline/summary", "/history")) {
            assertEquals(200, getIfNoneMatch(path, alice, etags.get(path)).statusCode(), path + " ends on a new day");
        }
        JsonNode days = Events.json(get("/timeline?period=week", alice).body());
        assertEquals(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString(), days.get(6).path("date").asText());
        assertEquals(304, getIfNoneMatch("/queue", alice, etags.get("/queue")).statusCode(), "the queue knows no days");
    }

    @Test
    void badInputIsStillA4xxWithItsDetailWhateverTheETag() throws Exception {
        server.downloads(alice).submit("https://example.org/one");
        for (String path : List.of("/queue?limit=0", "/queue?limit=101", "/queue?status=sleeping", "/queue?offset=-1",
                "/stats?period=fortnight", "/timeline?start_date=yesterday", "/timeline/summary?status=queued",
                "/history?limit=1000", "/notifications?limit=0")) {
            HttpResponse<String> refused = getIfNoneMatch(path, alice, "*");
            assertEquals(422, refused.statusCode(), path);
            assertTrue(Events.json(refused.body()).path("detail").isTextual(), path + ": " + refused.body());
            assertFalse(refused.headers().firstValue("ETag").isPresent(), path);
        }
        HttpResponse<String> anonymous = Http.send(Http.request(server.api("/queue"), null).header("If-None-Match", "*").GET());
        assertEquals(401, anonymous.statusCode());
        assertTrue(Events.json(anonymous.body()).path("detail").isTextual());
    }
}
