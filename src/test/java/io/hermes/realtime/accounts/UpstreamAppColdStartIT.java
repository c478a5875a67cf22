package io.hermes.realtime.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.FileServer;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.SseEvent;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The upstream Hermes web app (TechSquidTV/Hermes, {@code packages/hermes-app}) from a cold start against this
 * server: every request it sends, in its order and shape, and every field and status it reads or branches on.
 * The steps follow, in {@code packages/hermes-app/src/}:
 * <ol>
 * <li>{@code routes/auth.login.tsx}, {@code routes/auth.signup.tsx}, {@code services/config.ts}</li>
 * <li>{@code services/auth.ts}, {@code contexts/AuthContext.tsx}, {@code types/auth.ts}</li>
 * <li>{@code components/version-status.tsx}, {@code services/api/client.ts}</li>
 * <li>{@code components/forms/UrlInput.tsx}, {@code hooks/useDownloadActions.ts}</li>
 * <li>{@code routes/index.tsx}, {@code hooks/useDownloadProgressSSE.ts}, {@code hooks/useSSEToken.ts},
 * {@code hooks/useSSE.ts}, {@code components/download/DownloadProgressTracker.tsx}</li>
 * <li>{@code components/queue/QueueTabContent.tsx}, {@code hooks/useQueueData.ts}, {@code lib/queueData.ts},
 * {@code components/queue/QueueCard.tsx}, {@code components/queue/QueueStats.tsx},
 * {@code components/queue/QueueCharts.tsx}</li>
 * <li>{@code hooks/useQueueUpdatesSSE.ts}, {@code hooks/useStatsSSE.ts}</li>
 * <li>{@code services/api/client.ts} (its 401 handling and {@code refreshToken}), {@code utils/tokenStorage.ts}</li>
 * </ol>
 * and the shapes of {@code src/types/api.generated.ts} and {@code packages/hermes-api/app/api/v1/endpoints/}
 * ({@code auth.py}, {@code events.py}, {@code downloads.py}, {@code queue.py}, {@code stats.py},
 * {@code timeline.py}, {@code config.py}, {@code health.py}).
 */
class UpstreamAppColdStartIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String USERNAME = "ada";
    private static final String EMAIL = "ada@example.com";
    /** What the app's signup form accepts: 8 or more characters with upper case, lower case and a digit. */
    private static final String PASSWORD = "Analytical1";
    /** The app asks every SSE token for ten minutes. */
    private static final int SSE_TOKEN_TTL = 600;
    /** 16 pieces 40 ms apart: the first 8 take long enough for the worker to report progress before the gate. */
    private static final long FILE_SIZE = 16L * 64 * 1024;
    private static final Set<String> USER_FIELDS = Set.of("id", "username", "email", "avatar", "isActive", "isAdmin",
            "preferences", "createdAt", "lastLogin");

    private final TestRedis redis = TestRedis.shared();
    private TestServer server;
    private FileServer files;
    @TempDir
    Path downloads;
    @TempDir
    Path temp;

    /** The app's token storage ({@code utils/tokenStorage.ts}): what it sends and what it renews with. */
    private String accessToken;
    private String refreshToken;

    @BeforeEach
    void start() throws Exception {
        redis.flush();
        files = new FileServer(40);
        server = TestServer.start(redis, Map.of(Settings.DOWNLOAD_DIR, downloads.toString(),
                Settings.TEMP_DIR, temp.toString(), Settings.ALLOW_PRIVATE_URLS, "true"));
    }

    @AfterEach
    void stop() throws Exception {
        files.openGate();
        server.close();
        files.close();
    }

    @Test
    void theUpstreamAppWorksUnchangedFromItsFirstSignupToItsLogout() throws Exception {
        JsonNode user = signUpTheFirstUser();
        reloadTheSignedInUser(user);
        showTheApiVersionInTheSidebar();

        String url = files.uri("/gated/" + FILE_SIZE).toString();
        String id = submitFromTheUrlInput(url);
        try (SseTestClient progress = trackTheTaskOnTheDashboard(id)) {
            showTheRunningDownloadOnTheQueuePage(id, url);
            showTheStatisticsBeforeAnythingEnded();
            try (SseTestClient queue = openStream("queue", "/events/queue");
                 SseTestClient stats = openStream("stats", "/events/stats")) {
                files.openGate();
                followTheDownloadToItsEnd(progress, id, url);
                seeTheQueueAndStatsAnnounceTheEnd(queue, stats, id);
            }
        }
        refetchWhatTheEndInvalidated(id, url);

        String rotated = renewAnExpiredAccessTokenAndRetry();
        reloadWithAnExpiredAccessToken();
        refuseARotatedRefreshToken(rotated);
        signInAgainAfterTheSessionEnded(user);
        signOut();
    }

    // routes/auth.login.tsx and routes/auth.signup.tsx ask services/config.ts, then services/auth.ts signs up.
    private JsonNode signUpTheFirstUser() throws Exception {
        assertTrue(publicConfig().path("allowPublicSignup").asBoolean(false), "signup open while no account exists");

        HttpResponse<String> signup = appPost("/auth/signup",
                "{\"username\":\"" + USERNAME + "\",\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD + "\"}",
                null);
        assertEquals(200, signup.statusCode(), signup.body());
        JsonNode auth = json(signup);
        keepTokens(auth);
        assertEquals("bearer", auth.path("tokenType").asText(), auth.toString());
        JsonNode user = auth.path("user");
        assertUser(user);
        assertTrue(user.path("isAdmin").asBoolean(), "the first account is admin");
        return user;
    }

    // contexts/AuthContext.tsx validates the stored token on every load: services/auth.ts getCurrentUser.
    private void reloadTheSignedInUser(JsonNode signedUp) throws Exception {
        HttpResponse<String> me = appGet("/auth/me");
        assertEquals(200, me.statusCode(), me.body());
        JsonNode user = json(me);
        assertUser(user);
        assertEquals(signedUp.path("id"), user.path("id"));
        assertTrue(user.path("isAdmin").asBoolean());
    }

    // components/version-status.tsx, in the sidebar of every page: getHealth() without credentials.
    private void showTheApiVersionInTheSidebar() throws Exception {
        HttpResponse<String> health = Http.send(Http.request(server.api("/health/"), null)
                .header("Content-Type", "application/json").GET());
        assertEquals(200, health.statusCode(), health.body());
        assertFalse(json(health).path("version").asText().isBlank(), health.body());
    }

    // components/forms/UrlInput.tsx through hooks/useDownloadActions.ts: startDownload posts to /download/.
    // (Before that the app asks GET /info/?url=&include_formats=true and shows the download button only with
    // its VideoInfo; this server has no /info yet, so that call is not replayed here.)
    private String submitFromTheUrlInput(String url) throws Exception {
        HttpResponse<String> submitted = appPost("/download/", "{\"url\":\"" + url
                + "\",\"format\":\"best\",\"downloadSubtitles\":false,\"downloadThumbnail\":false}", accessToken);
        assertEquals(200, submitted.statusCode(), submitted.body());
        JsonNode answer = json(submitted);
        assertEquals("queued", answer.path("status").asText());
        assertFalse(answer.path("message").asText().isBlank());
        assertTrue(answer.has("estimatedCompletion"), answer.toString());
        String id = answer.path("downloadId").asText();
        assertFalse(id.isBlank(), "taskTracker.addTask takes the downloadId");
        return id;
    }

    // routes/index.tsx mounts a TrackedTask: hooks/useDownloadProgressSSE.ts gets a download:ID token and opens
    // the download's stream, listening for download_progress.
    private SseTestClient trackTheTaskOnTheDashboard(String id) throws Exception {
        SseTestClient stream = openStream("download:" + id, "/events/downloads/" + id);
        JsonNode first = Events.json(stream.next(e -> e.name().equals("download_progress"), WAIT).data());
        assertProgressEvent(first, id);
        assertTrue(Set.of("queued", "downloading").contains(first.path("status").asText()), first.toString());
        return stream;
    }

    // The queue page: components/queue/QueueTabContent.tsx polls getDownloadQueue (Active and All tabs without
    // a status, History with status=completed); components/queue/QueueCard.tsx renders each item.
    private void showTheRunningDownloadOnTheQueuePage(String id, String url) throws Exception {
        JsonNode item = Await.until(WAIT, () -> queueItem("/queue/?limit=20&offset=0", id),
                found -> found != null && found.path("progress").path("downloadedBytes").asLong() > 0,
                "the queue shows the download halfway");
        assertQueueItem(item, id);
        assertEquals("downloading", item.path("status").asText());
        assertTrue(item.path("progress").path("percentage").asDouble() > 0
                && item.path("progress").path("percentage").asDouble() < 100, item.toString());
        assertEquals(FILE_SIZE, item.path("progress").path("totalBytes").asLong(), item.toString());
        assertNotEquals("Queued", item.path("message").asText(), "the message says what is happening");
        // CONTRACT 7: the card's title is result.title (else "Download <id>") and its link result.url.
        assertEquals(url, item.path("result").path("url").asText(), "result.url from the submit on: " + item);
        assertFalse(item.path("result").path("title").asText("").isBlank(), "result.title once known: " + item);

        JsonNode history = appGetJson("/queue/?limit=20&offset=0&status=completed");
        assertEquals(0, history.path("items").size(), history.toString());
    }

    // components/queue/QueueStats.tsx (getApiStats()) and components/queue/QueueCharts.tsx (timeline, summary
    // and stats for the selected period, "week" at first).
    private void showTheStatisticsBeforeAnythingEnded() throws Exception {
        assertStats(appGetJson("/stats/?period=week"));
        assertTimeline(appGetJson("/timeline/?period=week"));
        assertSummary(appGetJson("/timeline/summary?period=week"));
    }

    // The worker finishes: the dashboard's stream carries the steps until completed (the card's bar, size and
    // Download button), routes/index.tsx falling back to getDownloadStatus for the file name.
    private void followTheDownloadToItsEnd(SseTestClient progress, String id, String url) throws Exception {
        JsonNode last;
        do {
            last = Events.json(progress.next(e -> e.name().equals("download_progress"), WAIT).data());
            assertProgressEvent(last, id);
            if (last.path("status").asText().equals("downloading")) {
                assertNotEquals("Queued", last.path("message").asText(), last.toString());
                // CONTRACT 7: the running card shows result.title || result.url (hasDownloadResult).
                assertEquals(url, last.path("result").path("url").asText(), "result.url while running: " + last);
                if (last.path("progress").path("downloaded_bytes").asLong() > 0) {
                    assertFalse(last.path("result").path("title").asText("").isBlank(), "the file is named: " + last);
                }
            }
        } while (!last.path("status").asText().equals("completed"));
        assertEquals(100.0, last.path("progress").path("percentage").asDouble(), last.toString());
        assertEquals(FILE_SIZE, last.path("result").path("file_size").asLong(), last.toString());
        assertEquals(url, last.path("result").path("url").asText(), last.toString());
        assertFalse(last.path("result").path("title").asText("").isBlank(), last.toString());

        if (last.path("current_filename").asText("").isBlank()) {
            JsonNode status = appGetJson("/download/" + id);
            assertFalse(status.path("currentFilename").asText("").isBlank(), "the Download button's path: " + status);
        }
    }

    // hooks/useQueueUpdatesSSE.ts listens for queue_update (action, download_id); hooks/useStatsSSE.ts for
    // stats_update (event, download_id, timestamp); each invalidates the queries the page shows.
    private void seeTheQueueAndStatsAnnounceTheEnd(SseTestClient queue, SseTestClient stats, String id)
            throws Exception {
        JsonNode update = Events.json(queue.next(e -> e.name().equals("queue_update")
                && Events.json(e.data()).path("status").asText().equals("completed"), WAIT).data());
        assertEquals("status_changed", update.path("action").asText(), update.toString());
        assertEquals(id, update.path("download_id").asText());

        JsonNode changed = Events.json(stats.next(e -> e.name().equals("stats_update"), WAIT).data());
        assertEquals("download_completed", changed.path("event").asText(), changed.toString());
        assertEquals(id, changed.path("download_id").asText());
        assertTimestamp(changed.path("timestamp"), "stats_update timestamp");
    }

    // What the invalidated queries fetch again: the History tab, its stats cards and the Analytics charts.
    private void refetchWhatTheEndInvalidated(String id, String url) throws Exception {
        JsonNode done = queueItem("/queue/?limit=20&offset=0&status=completed", id);
        assertQueueItem(done, id);
        assertEquals("completed", done.path("status").asText());
        assertEquals(url, done.path("result").path("url").asText(), done.toString());
        assertFalse(done.path("result").path("title").asText("").isBlank(), done.toString());
        assertEquals(FILE_SIZE, done.path("result").path("fileSize").asLong(), done.toString());
        assertFalse(done.path("currentFilename").asText("").isBlank(), "QueueCard's Download and Delete: " + done);

        JsonNode stats = appGetJson("/stats/?period=week");
        assertStats(stats);
        assertEquals(1, stats.path("totalDownloads").asInt(), stats.toString());
        assertEquals(1, stats.path("successfulDownloads").asInt(), stats.toString());
        assertEquals(1.0, stats.path("successRate").asDouble(), stats.toString());
        assertEquals(FILE_SIZE, stats.path("totalBandwidthUsed").asLong(), stats.toString());

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonNode timeline = appGetJson("/timeline/?period=week");
        assertTimeline(timeline);
        JsonNode day = null;
        for (JsonNode entry : timeline) {
            if (entry.path("date").asText().equals(today)) {
                day = entry;
            }
        }
        assertNotNull(day, "today is in the week: " + timeline);
        assertEquals(1, day.path("downloads").asInt(), day.toString());
        assertEquals(1.0, day.path("successRate").asDouble(), day.toString());
        assertEquals(FILE_SIZE, day.path("totalSize").asLong(), day.toString());

        JsonNode summary = appGetJson("/timeline/summary?period=week");
        assertSummary(summary);
        assertEquals(1, summary.path("totalDownloads").asInt(), summary.toString());
        assertEquals(1, summary.path("peakDownloads").asInt(), summary.toString());
        assertEquals(today, summary.path("peakDay").asText(), summary.toString());
    }

    // services/api/client.ts: a 401 makes it post {refreshToken} to /auth/refresh (without credentials), store
    // both new tokens and send the request again.
    private String renewAnExpiredAccessTokenAndRetry() throws Exception {
        expireInRedis(accessToken);
        HttpResponse<String> refused = appGet("/queue/?limit=20&offset=0");
        assertEquals(401, refused.statusCode(), "an expired access token: " + refused.body());

        String firstRefresh = refreshToken;
        renew(null);
        HttpResponse<String> retried = appGet("/queue/?limit=20&offset=0");
        assertEquals(200, retried.statusCode(), retried.body());
        assertEquals(1, json(retried).path("totalItems").asInt());
        return firstRefresh;
    }

    // contexts/AuthContext.tsx on a reload with an expired token: getCurrentUser answers 401, so it refreshes
    // through services/auth.ts, whose request still carries the expired access token as Bearer.
    private void reloadWithAnExpiredAccessToken() throws Exception {
        expireInRedis(accessToken);
        assertEquals(401, appGet("/auth/me").statusCode());
        renew(accessToken);
        assertEquals(200, appGet("/auth/me").statusCode());
    }

    // A second tab still holding a rotated refresh token: refused, and (reuse) the session ends for every tab,
    // so the app's own next refresh fails too: services/api/client.ts clears the tokens and goes to /auth/login.
    private void refuseARotatedRefreshToken(String rotated) throws Exception {
        HttpResponse<String> reused = appPost("/auth/refresh", "{\"refreshToken\":\"" + rotated + "\"}", null);
        assertEquals(401, reused.statusCode(), reused.body());
        assertTrue(json(reused).path("detail").isTextual(), "the app shows detail: " + reused.body());
        assertEquals(401, appGet("/queue/?limit=20&offset=0").statusCode(), "the session ended");
        assertEquals(401, appPost("/auth/refresh", "{\"refreshToken\":\"" + refreshToken + "\"}", null)
                .statusCode());
    }

    /** POST /auth/refresh {refreshToken}, sent with {@code bearer} as the app's request has it (null: none). */
    private void renew(String bearer) throws Exception {
        String previous = refreshToken;
        HttpResponse<String> renewed = appPost("/auth/refresh", "{\"refreshToken\":\"" + refreshToken + "\"}", bearer);
        assertEquals(200, renewed.statusCode(), renewed.body());
        JsonNode tokens = json(renewed);
        assertEquals("bearer", tokens.path("tokenType").asText(), tokens.toString());
        keepTokens(tokens);
        assertNotEquals(previous, refreshToken, "rotated");
    }

    // routes/auth.login.tsx asks the public config again, then services/auth.ts logs in.
    private void signInAgainAfterTheSessionEnded(JsonNode signedUp) throws Exception {
        assertFalse(publicConfig().path("allowPublicSignup").asBoolean(true), "closed once an account exists");
        HttpResponse<String> login = appPost("/auth/login",
                "{\"username\":\"" + USERNAME + "\",\"password\":\"" + PASSWORD + "\"}", null);
        assertEquals(200, login.statusCode(), login.body());
        JsonNode auth = json(login);
        keepTokens(auth);
        assertEquals("bearer", auth.path("tokenType").asText());
        assertUser(auth.path("user"));
        assertEquals(signedUp.path("id"), auth.path("user").path("id"));
        assertTimestamp(auth.path("user").path("lastLogin"), "lastLogin after a login");
        assertEquals(200, appGet("/auth/me").statusCode());
    }

    // services/auth.ts logout: a POST without a body; the app reads nothing but the status, then clears tokens.
    private void signOut() throws Exception {
        HttpResponse<String> out = Http.send(Http.request(server.api("/auth/logout"), accessToken)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, out.statusCode(), out.body());
        assertTrue(json(out).path("message").isTextual(), out.body());
        assertEquals(401, appGet("/auth/me").statusCode(), "the access token ended with the logout");
        assertEquals(401, appPost("/auth/refresh", "{\"refreshToken\":\"" + refreshToken + "\"}", null).statusCode(),
                "and its refresh token");
    }

    private JsonNode publicConfig() throws Exception {
        HttpResponse<String> config = Http.send(Http.request(server.api("/config/public"), null)
                .header("Content-Type", "application/json").GET());
        assertEquals(200, config.statusCode(), config.body());
        assertTrue(json(config).path("allowPublicSignup").isBoolean(), config.body());
        return json(config);
    }

    /**
     * hooks/useSSEToken.ts then hooks/useSSE.ts: a token for {@code scope} asked for ten minutes, and an
     * EventSource on {@code path?token=} (no header: a browser's EventSource cannot send one).
     */
    private SseTestClient openStream(String scope, String path) throws Exception {
        HttpResponse<String> issued = appPost("/events/token",
                "{\"scope\":\"" + scope + "\",\"ttl\":" + SSE_TOKEN_TTL + "}", accessToken);
        assertEquals(200, issued.statusCode(), issued.body());
        JsonNode token = json(issued);
        assertFalse(token.path("token").asText().isBlank(), token.toString());
        assertEquals(SSE_TOKEN_TTL, token.path("ttl").asInt(), "the renewal is timed from ttl: " + token);
        // getRenewalDelay reads expires_at ?? expiresAt.
        JsonNode expiry = token.hasNonNull("expires_at") ? token.path("expires_at") : token.path("expiresAt");
        assertTrue(assertTimestamp(expiry, "SSE token expiry").isAfter(Instant.now()), token.toString());

        SseTestClient stream = SseTestClient.open(server.api(path + "?token=" + token.path("token").asText()));
        // An EventSource opens only on a 200 of type text/event-stream.
        stream.awaitConnected(WAIT);
        assertTrue(stream.header("Content-Type").startsWith("text/event-stream"), stream.header("Content-Type"));
        return stream;
    }

    /** The item of download {@code id} in a queue page, or null when it is not on it. */
    private JsonNode queueItem(String pathAndQuery, String id) throws Exception {
        JsonNode queue = appGetJson(pathAndQuery);
        for (String field : List.of("totalItems", "pending", "active", "completed", "failed")) {
            assertTrue(queue.path(field).isNumber(), "DownloadQueue." + field + ": " + queue);
        }
        for (JsonNode item : queue.path("items")) {
            if (item.path("downloadId").asText().equals(id)) {
                return item;
            }
        }
        return null;
    }

    /** What hooks/useFilters.ts, lib/queueData.ts and components/queue/QueueCard.tsx read of an item. */
    private static void assertQueueItem(JsonNode item, String id) {
        assertNotNull(item, "download " + id + " is listed");
        assertEquals(id, item.path("downloadId").asText());
        assertTrue(item.path("status").isTextual(), item.toString());
        assertTrue(item.path("message").isTextual(), item.toString());
        assertTrue(item.has("error") && item.has("currentFilename"), item.toString());
        assertTimestamp(item.path("createdAt"), "createdAt (sorting by date)");
        JsonNode progress = item.path("progress");
        for (String field : List.of("percentage", "downloadedBytes", "totalBytes", "speed", "eta")) {
            assertTrue(progress.has(field), "progress." + field + ": " + item);
        }
        assertTrue(item.path("result").isObject(), "result (hasDownloadResult): " + item);
        for (String field : List.of("url", "title", "fileSize", "thumbnailUrl", "extractor")) {
            assertTrue(item.path("result").has(field), "result." + field + ": " + item);
        }
    }

    /**
     * What hooks/useDownloadProgressSSE.ts (normalizeDownloadStatus) and
     * components/download/DownloadProgressTracker.tsx read of a download_progress event.
     */
    private static void assertProgressEvent(JsonNode data, String id) {
        assertEquals(id, data.path("download_id").asText(), "events without download_id are dropped: " + data);
        assertTrue(data.path("status").isTextual(), data.toString());
        assertTrue(data.path("message").isTextual(), "else the app shows 'Download <status>': " + data);
        JsonNode progress = data.path("progress");
        assertTrue(progress.path("percentage").isNumber(), data.toString());
        for (String field : List.of("downloaded_bytes", "total_bytes", "speed", "eta")) {
            assertTrue(progress.has(field), "progress." + field + ": " + data);
        }
        if (data.path("status").asText().equals("failed")) {
            assertTrue(data.path("error_message").isTextual(), data.toString());
        }
    }

    /** types/auth.ts User and api.generated.ts UserResponse. */
    private static void assertUser(JsonNode user) {
        for (String field : USER_FIELDS) {
            assertTrue(user.has(field), "User." + field + ": " + user);
        }
        assertFalse(user.path("id").asText().isBlank(), user.toString());
        assertEquals(USERNAME, user.path("username").asText());
        assertEquals(EMAIL, user.path("email").asText());
        assertTrue(user.path("isActive").asBoolean(), user.toString());
        assertTrue(user.path("isAdmin").isBoolean(), user.toString());
        assertTrue(user.path("preferences").isObject() || user.path("preferences").isNull(), user.toString());
        assertTrue(user.path("avatar").isTextual() || user.path("avatar").isNull(), user.toString());
        assertTimestamp(user.path("createdAt"), "createdAt");
        if (!user.path("lastLogin").isNull()) {
            assertTimestamp(user.path("lastLogin"), "lastLogin");
        }
    }

    /** api.generated.ts ApiStatistics, as QueueStats and QueueCharts read it. */
    private static void assertStats(JsonNode stats) {
        assertEquals("week", stats.path("period").asText(), stats.toString());
        for (String field : List.of("totalDownloads", "successfulDownloads", "failedDownloads", "successRate",
                "averageDownloadTime", "totalBandwidthUsed", "totalStorageUsed")) {
            assertTrue(stats.path(field).isNumber(), "ApiStatistics." + field + ": " + stats);
        }
        // Not read by the app; ours is null while nothing happened in the period (upstream's is always 0).
        assertTrue(stats.path("peakHour").isNumber() || stats.path("peakHour").isNull(), stats.toString());
        assertTrue(stats.path("popularExtractors").isArray(), stats.toString());
        for (JsonNode extractor : stats.path("popularExtractors")) {
            assertTrue(extractor.has("extractor") && extractor.path("count").isNumber()
                    && extractor.path("percentage").isNumber(), stats.toString());
        }
        assertTrue(stats.path("errorBreakdown").isArray(), stats.toString());
        for (JsonNode error : stats.path("errorBreakdown")) {
            // QueueCharts calls errorType.replace(...): a null would break the chart.
            assertTrue(error.path("errorType").isTextual() && error.path("count").isNumber()
                    && error.path("percentage").isNumber(), stats.toString());
        }
    }

    /** api.generated.ts DailyStats[], as QueueCharts maps it. */
    private static void assertTimeline(JsonNode timeline) {
        assertTrue(timeline.isArray() && timeline.size() >= 7, "a week, day by day: " + timeline);
        for (JsonNode day : timeline) {
            LocalDate.parse(day.path("date").asText());
            for (String field : List.of("downloads", "successRate", "totalSize")) {
                assertTrue(day.path(field).isNumber(), "DailyStats." + field + ": " + day);
            }
        }
    }

    /** api.generated.ts TimelineSummary, as QueueCharts' summary cards read it. */
    private static void assertSummary(JsonNode summary) {
        for (String field : List.of("totalDownloads", "successRate", "totalSize", "avgDailyDownloads",
                "peakDownloads", "daysCount")) {
            assertTrue(summary.path(field).isNumber(), "TimelineSummary." + field + ": " + summary);
        }
        assertTrue(Set.of("increasing", "decreasing", "stable").contains(summary.path("trend").asText()),
                summary.toString());
        assertEquals("week", summary.path("period").asText(), summary.toString());
        assertTrue(summary.has("peakDay"), summary.toString());
        if (!summary.path("peakDay").isNull()) {
            LocalDate.parse(summary.path("peakDay").asText());
        }
    }

    /** An ISO-8601 timestamp with its offset, as JavaScript's Date.parse reads it; returns the instant. */
    private static Instant assertTimestamp(JsonNode value, String what) {
        assertTrue(value.isTextual(), what + ": " + value);
        return OffsetDateTime.parse(value.asText()).toInstant();
    }

    /** What the app stores of an AuthResponse or TokenResponse: only the two tokens. */
    private void keepTokens(JsonNode auth) {
        accessToken = auth.path("accessToken").asText();
        refreshToken = auth.path("refreshToken").asText();
        assertFalse(accessToken.isBlank(), auth.toString());
        assertFalse(refreshToken.isBlank(), auth.toString());
    }

    /**
     * The access token runs out: its session key's TTL ends now instead of in 15 minutes (keys as
     * {@link SessionStore} describes them), which Redis treats exactly as the TTL running out.
     */
    private void expireInRedis(String token) {
        try (Jedis jedis = redis.client()) {
            assertEquals(1, jedis.del(SessionStore.PREFIX + "access:" + SessionStore.hash(token)));
        }
    }

    /** As services/api/client.ts sends every call: JSON content type, and the access token when it has one. */
    private HttpResponse<String> appGet(String pathAndQuery) throws Exception {
        return Http.send(Http.request(server.api(pathAndQuery), accessToken)
                .header("Content-Type", "application/json").GET());
    }

    private JsonNode appGetJson(String pathAndQuery) throws Exception {
        HttpResponse<String> response = appGet(pathAndQuery);
        assertEquals(200, response.statusCode(), pathAndQuery + ": " + response.body());
        return json(response);
    }

    private HttpResponse<String> appPost(String path, String body, String token) throws Exception {
        return Http.postJson(server.api(path), body, token);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Events.json(response.body());
    }
}
