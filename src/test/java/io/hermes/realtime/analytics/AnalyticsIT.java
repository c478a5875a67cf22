package io.hermes.realtime.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.Skip;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import io.hermes.realtime.testing.ViewBump;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.clients.jedis.Jedis;

/**
 * The analytics endpoints against counters, indexes and records seeded into a real Redis exactly as the
 * downloads data model lays them out. Reports by period end on the server's today, so the seed is
 * relative to today; reports by explicit dates use fixed days in March 2025.
 */
class AnalyticsIT {
    private static final TestRedis REDIS = TestRedis.shared();
    private static final int STORED_BYTES = 1234;

    @TempDir
    static Path files;

    private static TestServer server;
    private static String aliceKey;
    private static String nobodyKey;
    private static String writerKey;
    private static LocalDate today;

    @BeforeAll
    static void start() throws Exception {
        Instant now = Instant.now();
        today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Duration toMidnight = Duration.between(now, today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        Skip.unless(toMidnight.compareTo(Duration.ofMinutes(3)) > 0,
                "it does not run within 3 minutes of midnight UTC: the server's today would change under the seed");
        REDIS.flush();
        Path downloads = Files.createDirectories(files.resolve("downloads"));
        Files.write(downloads.resolve("movie.mp4"), new byte[STORED_BYTES]);
        server = TestServer.start(Map.of(Settings.DOWNLOAD_DIR, downloads.toString(),
                Settings.TEMP_DIR, files.resolve("temp").toString()));
        aliceKey = createKey("alice reader", "[\"read\"]", "alice");
        nobodyKey = createKey("nobody reader", "[\"read\"]", "nobody");
        writerKey = createKey("alice writer", "[\"write\"]", "alice");
        seed();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static String createKey(String name, String permissions, String owner) throws Exception {
        HttpResponse<String> created = server.post("/auth/api-keys",
                "{\"name\":\"" + name + "\",\"permissions\":" + permissions + ",\"owner\":\"" + owner + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        return Events.json(created.body()).path("key").asText();
    }

    private static void seed() {
        try (Jedis jedis = REDIS.client()) {
            // Relative to today, for /stats.
            jedis.hset("hermes:stats:all:" + today, Map.of("total", "4", "completed", "3", "failed", "1",
                    "bytes", "3000", "duration_ms", "9000", "extractor:youtube.com", "3", "extractor:vimeo.com", "1",
                    "error:network", "1", "hour:10", "3", "hour:14", "1"));
            jedis.hset("hermes:stats:all:" + today.minusDays(1), Map.of("total", "2", "completed", "1",
                    "cancelled", "1", "bytes", "500", "duration_ms", "1500", "extractor:vimeo.com", "2",
                    "hour:14", "2"));
            jedis.hset("hermes:stats:all:" + today.minusDays(3), Map.of("total", "3", "failed", "3",
                    "extractor:youtube.com", "3", "error:network", "2", "error:format", "1", "hour:14", "3"));
            jedis.hset("hermes:stats:all:" + today.minusDays(10), Map.of("total", "5", "completed", "5",
                    "bytes", "10000", "duration_ms", "5000", "extractor:example.org", "5", "hour:02", "5"));
            jedis.hset("hermes:stats:owner:alice:" + today, Map.of("total", "1", "completed", "1", "bytes", "100",
                    "duration_ms", "2500", "extractor:youtube.com", "1", "hour:10", "1"));

            // Fixed days, for /timeline and /history.
            jedis.hset("hermes:stats:all:2025-03-01", Map.of("total", "2", "completed", "1", "failed", "1",
                    "bytes", "100", "duration_ms", "1000", "extractor:youtube.com", "1", "extractor:vimeo.com", "1",
                    "error:network", "1"));
            jedis.hset("hermes:stats:all:2025-03-03", Map.of("total", "3", "completed", "3", "bytes", "300",
                    "duration_ms", "5000", "extractor:youtube.com", "3"));
            jedis.hset("hermes:stats:all:2025-03-04", Map.of("total", "1", "cancelled", "1",
                    "extractor:youtube.com", "1"));
            jedis.hset("hermes:stats:owner:alice:2025-03-03", Map.of("total", "1", "completed", "1", "bytes", "50",
                    "duration_ms", "2000", "extractor:youtube.com", "1"));

            record(jedis, "h1", Map.of("owner", "alice", "status", "completed", "url", "https://youtube.com/watch?v=1",
                    "title", "First", "started_at", "2025-03-03T09:58:00.000Z", "completed_at", "2025-03-03T10:00:00.000Z",
                    "duration", "12", "file_size", "300", "extractor", "youtube.com"));
            record(jedis, "h2", Map.of("owner", "bob", "status", "failed", "url", "https://vimeo.com/2",
                    "started_at", "2025-03-01T07:59:00.000Z", "completed_at", "2025-03-01T08:00:00.000Z",
                    "error", "Network unreachable", "error_type", "network", "extractor", "vimeo.com"));
            record(jedis, "h3", Map.of("owner", "alice", "status", "cancelled", "url", "https://youtube.com/watch?v=3",
                    "title", "Third", "started_at", "2025-03-04T23:50:00.000Z", "completed_at", "2025-03-04T23:59:59.999Z",
                    "duration", "7.5", "extractor", "youtube.com"));
            record(jedis, "h4", Map.of("owner", "bob", "status", "completed", "url", "https://example.org/4",
                    "title", "Fourth", "started_at", "2025-02-28T11:59:00.000Z", "completed_at", "2025-02-28T12:00:00.000Z",
                    "duration", "1", "file_size", "10", "extractor", "example.org"));
            record(jedis, "h5", Map.of("owner", "alice", "status", "completed", "url", "https://example.org/5",
                    "title", "Fifth", "started_at", "2025-02-28T23:59:00.000Z", "completed_at", "2025-03-01T00:00:00.000Z",
                    "duration", "60", "file_size", "5", "extractor", "example.org"));
            // Written by hand, so bumped by hand, as the scripts that normally write these do.
            ViewBump.bump(jedis, "downloads", "history");
        }
    }

    /** A terminal download: its record, and its id in the global and its owner's history by completion time. */
    private static void record(Jedis jedis, String id, Map<String, String> fields) {
        Map<String, String> record = new java.util.HashMap<>(fields);
        record.put("id", id);
        jedis.hset("hermes:download:" + id, record);
        double score = Instant.parse(fields.get("completed_at")).toEpochMilli();
        jedis.zadd("hermes:history", score, id);
        jedis.zadd("hermes:history:owner:" + fields.get("owner"), score, id);
    }

    private static HttpResponse<String> get(String path, String key) throws Exception {
        return Http.get(server.api(path), key);
    }

    /** GETs as {@code key}, expects 200 and returns the parsed body. */
    private static JsonNode ok(String path, String key) throws Exception {
        HttpResponse<String> response = get(path, key);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        return Events.json(response.body());
    }

    private static JsonNode admin(String path) throws Exception {
        return ok(path, TestServer.ADMIN_KEY);
    }

    private static List<String> ids(JsonNode history) {
        List<String> ids = new ArrayList<>();
        history.path("items").forEach(item -> ids.add(item.path("downloadId").asText()));
        return ids;
    }

    private static List<Long> downloads(JsonNode timeline) {
        List<Long> downloads = new ArrayList<>();
        timeline.forEach(day -> downloads.add(day.path("downloads").asLong()));
        return downloads;
    }

    // ---- /stats

    @Test
    void statsSumTheLastSevenDaysForAnAdmin() throws Exception {
        assertEquals(Events.json("""
                {"period": "week", "totalDownloads": 9, "successfulDownloads": 4, "failedDownloads": 4,
                 "successRate": 0.444, "averageDownloadTime": 2.63, "totalBandwidthUsed": 3500,
                 "popularExtractors": [{"extractor": "youtube.com", "count": 6, "percentage": 66.67},
                                       {"extractor": "vimeo.com", "count": 3, "percentage": 33.33}],
                 "errorBreakdown": [{"errorType": "network", "count": 3, "percentage": 75.0},
                                    {"errorType": "format", "count": 1, "percentage": 25.0}],
                 "peakHour": 14, "totalStorageUsed": %d}""".formatted(STORED_BYTES)), admin("/stats"));
        assertEquals(admin("/stats"), admin("/stats/?period=week"));
    }

    @Test
    void statsForADayCoverTodayAndForAMonthTheLastThirtyDays() throws Exception {
        assertEquals(Events.json("""
                {"period": "day", "totalDownloads": 4, "successfulDownloads": 3, "failedDownloads": 1,
                 "successRate": 0.75, "averageDownloadTime": 3.0, "totalBandwidthUsed": 3000,
                 "popularExtractors": [{"extractor": "youtube.com", "count": 3, "percentage": 75.0},
                                       {"extractor": "vimeo.com", "count": 1, "percentage": 25.0}],
                 "errorBreakdown": [{"errorType": "network", "count": 1, "percentage": 100.0}],
                 "peakHour": 10, "totalStorageUsed": %d}""".formatted(STORED_BYTES)), admin("/stats?period=day"));
        JsonNode month = admin("/stats?period=month");
        assertEquals(14, month.path("totalDownloads").asLong());
        assertEquals(9, month.path("successfulDownloads").asLong());
        assertEquals(0.643, month.path("successRate").asDouble());
        assertEquals(1.72, month.path("averageDownloadTime").asDouble());
        assertEquals(13500, month.path("totalBandwidthUsed").asLong());
        assertEquals(Events.json("""
                [{"extractor": "youtube.com", "count": 6, "percentage": 42.86},
                 {"extractor": "example.org", "count": 5, "percentage": 35.71},
                 {"extractor": "vimeo.com", "count": 3, "percentage": 21.43}]"""), month.path("popularExtractors"));
        assertEquals(14, month.path("peakHour").asInt());
        assertEquals(month.path("totalDownloads"), admin("/stats?period=year").path("totalDownloads"));
    }

    @Test
    void aNonAdminSeesOnlyItsOwnersStats() throws Exception {
        assertEquals(Events.json("""
                {"period": "week", "totalDownloads": 1, "successfulDownloads": 1, "failedDownloads": 0,
                 "successRate": 1.0, "averageDownloadTime": 2.5, "totalBandwidthUsed": 100,
                 "popularExtractors": [{"extractor": "youtube.com", "count": 1, "percentage": 100.0}],
                 "errorBreakdown": [], "peakHour": 10, "totalStorageUsed": %d}""".formatted(STORED_BYTES)),
                ok("/stats", aliceKey));
    }

    @Test
    void anOwnerWithoutDownloadsSeesZerosAndNoPeakHour() throws Exception {
        assertEquals(Events.json("""
                {"period": "week", "totalDownloads": 0, "successfulDownloads": 0, "failedDownloads": 0,
                 "successRate": 0.0, "averageDownloadTime": 0.0, "totalBandwidthUsed": 0,
                 "popularExtractors": [], "errorBreakdown": [], "peakHour": null,
                 "totalStorageUsed": %d}""".formatted(STORED_BYTES)), ok("/stats", nobodyKey));
    }

    // ---- /timeline and /timeline/summary

    private static final String MARCH = "start_date=2025-03-01&end_date=2025-03-04";

    private static final String MARCH_DAYS = """
            [{"date": "2025-03-01", "downloads": 2, "successRate": 0.5, "totalSize": 100},
             {"date": "2025-03-02", "downloads": 0, "successRate": 0.0, "totalSize": 0},
             {"date": "2025-03-03", "downloads": 3, "successRate": 1.0, "totalSize": 300},
             {"date": "2025-03-04", "downloads": 1, "successRate": 0.0, "totalSize": 0}]""";

    @Test
    void timelineHasOneEntryPerDayWithZerosForEmptyDays() throws Exception {
        assertEquals(Events.json(MARCH_DAYS), admin("/timeline?" + MARCH));
        assertEquals(Events.json(MARCH_DAYS), admin("/timeline/?" + MARCH + "&period=year"), "dates win over a period");
    }

    @Test
    void timelineCountsOnlyTheGivenStatus() throws Exception {
        assertEquals(List.of(1L, 0L, 3L, 0L), downloads(admin("/timeline?" + MARCH + "&status=completed")));
        assertEquals(List.of(1L, 0L, 0L, 0L), downloads(admin("/timeline?" + MARCH + "&status=failed")));
        assertEquals(List.of(0L, 0L, 0L, 1L), downloads(admin("/timeline?" + MARCH + "&status=cancelled")));
    }

    @Test
    void timelineByPeriodEndsToday() throws Exception {
        JsonNode week = admin("/timeline");
        assertEquals(7, week.size());
        assertEquals(today.minusDays(6).toString(), week.get(0).path("date").asText());
        assertEquals(today.toString(), week.get(6).path("date").asText());
        assertEquals(List.of(0L, 0L, 0L, 3L, 0L, 2L, 4L), downloads(week));
        assertEquals(1, admin("/timeline?period=day").size());
        assertEquals(30, admin("/timeline?period=month").size());
        assertEquals(365, admin("/timeline?period=year").size());
    }

    @Test
    void summaryTotalsTheRangeWithItsPeakAndTrend() throws Exception {
        assertEquals(Events.json("""
                {"totalDownloads": 6, "successRate": 0.667, "totalSize": 400, "avgDailyDownloads": 1.5,
                 "trend": "increasing", "peakDay": "2025-03-03", "peakDownloads": 3, "period": "custom",
                 "daysCount": 4}"""), admin("/timeline/summary?" + MARCH));
        assertEquals(Events.json("""
                {"totalDownloads": 1, "successRate": 0.667, "totalSize": 400, "avgDailyDownloads": 0.25,
                 "trend": "decreasing", "peakDay": "2025-03-01", "peakDownloads": 1, "period": "custom",
                 "daysCount": 4}"""), admin("/timeline/summary/?" + MARCH + "&status=failed"));
    }

    @Test
    void summaryOfAPeriodNamesIt() throws Exception {
        assertEquals(Events.json("""
                {"totalDownloads": 9, "successRate": 0.444, "totalSize": 3500, "avgDailyDownloads": 1.29,
                 "trend": "increasing", "peakDay": "%s", "peakDownloads": 4, "period": "week",
                 "daysCount": 7}""".formatted(today)), admin("/timeline/summary"));
        JsonNode quiet = ok("/timeline/summary?period=month", nobodyKey);
        assertEquals("stable", quiet.path("trend").asText());
        assertTrue(quiet.path("peakDay").isNull());
        assertEquals(30, quiet.path("daysCount").asInt());
    }

    @Test
    void aNonAdminTimelineShowsOnlyItsOwnersDays() throws Exception {
        assertEquals(Events.json("""
                [{"date": "2025-03-01", "downloads": 0, "successRate": 0.0, "totalSize": 0},
                 {"date": "2025-03-02", "downloads": 0, "successRate": 0.0, "totalSize": 0},
                 {"date": "2025-03-03", "downloads": 1, "successRate": 1.0, "totalSize": 50},
                 {"date": "2025-03-04", "downloads": 0, "successRate": 0.0, "totalSize": 0}]"""),
                ok("/timeline?" + MARCH, aliceKey));
        assertEquals(1, ok("/timeline/summary?" + MARCH, aliceKey).path("totalDownloads").asLong());
    }

    // ---- /history

    @Test
    void historyListsTheRangeNewestFirstWithTheRecordsFieldsAndTheRangesFigures() throws Exception {
        assertEquals(Events.json("""
                {"items": [
                   {"downloadId": "h3", "url": "https://youtube.com/watch?v=3", "status": "cancelled",
                    "startedAt": "2025-03-04T23:50:00.000Z", "completedAt": "2025-03-04T23:59:59.999Z",
                    "duration": 7.5, "fileSize": null, "extractor": "youtube.com", "title": "Third",
                    "errorMessage": null},
                   {"downloadId": "h1", "url": "https://youtube.com/watch?v=1", "status": "completed",
                    "startedAt": "2025-03-03T09:58:00.000Z", "completedAt": "2025-03-03T10:00:00.000Z",
                    "duration": 12, "fileSize": 300, "extractor": "youtube.com", "title": "First",
                    "errorMessage": null},
                   {"downloadId": "h2", "url": "https://vimeo.com/2", "status": "failed",
                    "startedAt": "2025-03-01T07:59:00.000Z", "completedAt": "2025-03-01T08:00:00.000Z",
                    "duration": null, "fileSize": null, "extractor": "vimeo.com", "title": null,
                    "errorMessage": "Network unreachable"},
                   {"downloadId": "h5", "url": "https://example.org/5", "status": "completed",
                    "startedAt": "2025-02-28T23:59:00.000Z", "completedAt": "2025-03-01T00:00:00.000Z",
                    "duration": 60, "fileSize": 5, "extractor": "example.org", "title": "Fifth",
                    "errorMessage": null}],
                 "totalItems": 4, "page": 1, "perPage": 20,
                 "totalDownloads": 6, "successRate": 0.667, "averageDownloadTime": 1.5, "totalSize": 400,
                 "popularExtractors": [{"extractor": "youtube.com", "count": 5, "percentage": 83.33},
                                       {"extractor": "vimeo.com", "count": 1, "percentage": 16.67}],
                 "dailyStats": %s}""".formatted(MARCH_DAYS)), admin("/history?" + MARCH));
    }

    @Test
    void historyFiltersByStatusAndExtractor() throws Exception {
        JsonNode completed = admin("/history?" + MARCH + "&status=completed");
        assertEquals(List.of("h1", "h5"), ids(completed));
        assertEquals(2, completed.path("totalItems").asLong());
        assertEquals(6, completed.path("totalDownloads").asLong(), "the figures come from the day counters");
        assertEquals(List.of("h3", "h1"), ids(admin("/history?" + MARCH + "&extractor=YouTube.com")));
        assertEquals(List.of("h1"), ids(admin("/history?" + MARCH + "&extractor=youtube.com&status=completed")));
        JsonNode none = admin("/history?" + MARCH + "&extractor=nowhere.example");
        assertEquals(List.of(), ids(none));
        assertEquals(0, none.path("totalItems").asLong());
    }

    @Test
    void historyPagesWithLimitAndOffset() throws Exception {
        JsonNode first = admin("/history?" + MARCH + "&limit=2&offset=1");
        assertEquals(List.of("h1", "h2"), ids(first));
        assertEquals(4, first.path("totalItems").asLong());
        assertEquals(1, first.path("page").asInt());
        assertEquals(2, first.path("perPage").asInt());
        JsonNode second = admin("/history?" + MARCH + "&limit=2&offset=2");
        assertEquals(List.of("h2", "h5"), ids(second));
        assertEquals(2, second.path("page").asInt());
        JsonNode beyond = admin("/history?" + MARCH + "&offset=10");
        assertEquals(List.of(), ids(beyond));
        assertEquals(4, beyond.path("totalItems").asLong());
        JsonNode filtered = admin("/history?" + MARCH + "&extractor=youtube.com&limit=1&offset=1");
        assertEquals(List.of("h1"), ids(filtered));
        assertEquals(2, filtered.path("totalItems").asLong());
        assertEquals(2, filtered.path("page").asInt());
    }

    @Test
    void historyDatesAreWholeDaysAndAnAbsentBoundIsOpen() throws Exception {
        JsonNode all = admin("/history");
        assertEquals(List.of("h3", "h1", "h2", "h5", "h4"), ids(all));
        assertEquals(5, all.path("totalItems").asLong());
        JsonNode daily = all.path("dailyStats");
        assertEquals(30, daily.size(), "figures default to the last 30 days");
        assertEquals(today.toString(), daily.get(29).path("date").asText());
        assertEquals(14, all.path("totalDownloads").asLong(), "today, 1, 3 and 10 days ago");

        JsonNode untilThird = admin("/history?end_date=2025-03-03");
        assertEquals(List.of("h1", "h2", "h5", "h4"), ids(untilThird));
        assertEquals("2025-02-02", untilThird.path("dailyStats").get(0).path("date").asText());
        assertEquals(5, untilThird.path("totalDownloads").asLong());

        assertEquals(List.of("h3"), ids(admin("/history?start_date=2025-03-04&end_date=2025-03-04")));
        assertEquals(List.of("h5"), ids(admin("/history?start_date=2025-02-28&end_date=2025-03-01&status=completed"
                + "&extractor=example.org&offset=0&limit=1")));
    }

    @Test
    void aNonAdminHistoryHoldsOnlyItsOwnersDownloadsAndFigures() throws Exception {
        JsonNode alice = ok("/history?" + MARCH, aliceKey);
        assertEquals(List.of("h3", "h1", "h5"), ids(alice));
        assertEquals(3, alice.path("totalItems").asLong());
        assertEquals(1, alice.path("totalDownloads").asLong());
        assertEquals(1.0, alice.path("successRate").asDouble());
        assertEquals(2.0, alice.path("averageDownloadTime").asDouble());
        assertEquals(50, alice.path("totalSize").asLong());
        assertEquals(List.of(), ids(ok("/history?" + MARCH + "&status=failed", aliceKey)));
        assertEquals(List.of(), ids(ok("/history?extractor=vimeo.com", aliceKey)));
        assertEquals(List.of(), ids(ok("/history", nobodyKey)));
    }

    // ---- everything

    @Test
    void anUnchangedReportAnswers304AndAChangedOneANewETag() throws Exception {
        String carolKey = createKey("carol reader", "[\"read\"]", "carol");
        for (String path : List.of("/stats", "/timeline", "/timeline/summary", "/history")) {
            HttpResponse<String> first = get(path, carolKey);
            assertEquals(200, first.statusCode(), path);
            String etag = first.headers().firstValue("ETag").orElseThrow();
            HttpResponse<String> again = Http.send(Http.request(server.api(path), carolKey)
                    .header("If-None-Match", etag).GET());
            assertEquals(304, again.statusCode(), path);
            assertEquals("", again.body());

            try (Jedis jedis = REDIS.client()) {
                jedis.hincrBy("hermes:stats:owner:carol:" + today, "total", 1);
                ViewBump.bump(jedis, "history"); // as every writer of the counters must
            }
            HttpResponse<String> changed = Http.send(Http.request(server.api(path), carolKey)
                    .header("If-None-Match", etag).GET());
            assertEquals(200, changed.statusCode(), path);
            assertNotEquals(etag, changed.headers().firstValue("ETag").orElseThrow(), path);
        }
    }

    @ParameterizedTest(name = "{0} names {1}")
    @CsvSource(delimiter = '|', value = {
            "/stats?period=fortnight                                 | period",
            "/timeline?period=decade                                 | period",
            "/timeline?start_date=2025-02-30                         | start_date",
            "/timeline?end_date=yesterday                            | end_date",
            "/timeline?start_date=2025-03-02&end_date=2025-03-01     | end_date",
            "/timeline?start_date=2024-01-01&end_date=2025-01-01     | start_date",
            "/timeline?status=pending                                | status",
            "/timeline/summary?status=downloading                    | status",
            "/timeline/summary?start_date=2025-3-1                   | start_date",
            "/history?limit=0                                        | limit",
            "/history?limit=101                                      | limit",
            "/history?offset=-1                                      | offset",
            "/history?status=queued                                  | status",
            "/history?start_date=2025-03-05&end_date=2025-03-04      | end_date",
            "/history?end_date=20250304                              | end_date",
    })
    void aBadParameterIsA422NamingIt(String path, String parameter) throws Exception {
        HttpResponse<String> refused = get(path, TestServer.ADMIN_KEY);
        assertEquals(422, refused.statusCode(), refused.body());
        JsonNode body = Events.json(refused.body());
        assertTrue(body.path("detail").asText().contains("'" + parameter + "'"), body.toString());
        assertEquals("http_422", body.path("error").path("code").asText());
    }

    @Test
    void everyReportNeedsTheReadPermission() throws Exception {
        for (String path : List.of("/stats", "/timeline", "/timeline/summary", "/history")) {
            assertEquals(401, Http.get(server.api(path)).statusCode(), path);
            HttpResponse<String> refused = get(path, writerKey);
            assertEquals(403, refused.statusCode(), path);
            assertEquals("Permission denied: read required", Events.json(refused.body()).path("detail").asText());
        }
    }
}
