package io.hermes.realtime.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Downloads;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two signed-in users on two instances of one Redis: each sees and streams only its own downloads on every
 * read path, the admin sees both, and logging out, disabling or deleting a user on one instance ends the
 * user's streams on the other.
 */
class UsersApartIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String PASSWORD = "s3cret-pass";

    private final TestRedis redis = TestRedis.shared();
    private FileServer files;
    private TestServer one;
    private TestServer two;
    private String admin;
    @TempDir
    Path downloads;
    @TempDir
    Path temp;

    @BeforeEach
    void start() throws Exception {
        redis.flush();
        files = new FileServer(10);
        Map<String, String> settings = Map.of(Settings.DOWNLOAD_DIR, downloads.toString(),
                Settings.TEMP_DIR, temp.toString(), Settings.ALLOW_PRIVATE_URLS, "true");
        one = TestServer.start(redis, settings);
        two = TestServer.start(redis, Map.of(Settings.WORKER_ENABLED, "false", Settings.ALLOW_PRIVATE_URLS, "true"));
        admin = json(Http.postJson(one.api("/auth/signup"),
                "{\"username\":\"alice\",\"email\":\"alice@example.com\",\"password\":\"" + PASSWORD + "\"}"))
                .path("accessToken").asText();
        for (String name : List.of("bob", "carol")) {
            HttpResponse<String> created = Http.postJson(one.api("/users"), "{\"username\":\"" + name
                    + "\",\"email\":\"" + name + "@example.com\",\"password\":\"" + PASSWORD + "\"}", admin);
            assertEquals(200, created.statusCode(), created.body());
        }
    }

    @AfterEach
    void stop() throws Exception {
        one.close();
        two.close();
        files.close();
    }

    @Test
    void eachUserSeesAndStreamsOnlyItsOwnDownloadsWhileTheAdminSeesBoth() throws Exception {
        String bob = login(one, "bob");
        String carol = login(two, "carol");
        try (SseTestClient bobsStream = stream(two, "/events/stream?channels=download,queue", bob);
             SseTestClient carolsStream = stream(one, "/events/stream?channels=download,queue", carol);
             SseTestClient adminsStream = stream(two, "/events/stream?channels=download,queue", admin)) {
            String bobs = new Downloads(one::api, bob).submit(files.uri("/slow/" + 300_000).toString());
            String carols = new Downloads(two::api, carol).submit(files.uri("/slow/" + 200_000).toString());
            new Downloads(two::api, bob).awaitStatus(bobs, "completed", WAIT);
            new Downloads(one::api, carol).awaitStatus(carols, "completed", WAIT);

            assertOnlyItsOwn(bobsStream, bobs, carols);
            assertOnlyItsOwn(carolsStream, carols, bobs);
            Set<String> adminSaw = downloadIds(adminsStream, Set.of(bobs, carols));
            assertEquals(Set.of(bobs, carols), adminSaw, "the admin's stream carries both");

            for (TestServer server : List.of(one, two)) {
                assertSeesOnly(server, bob, bobs, carols, 300_000);
                assertSeesOnly(server, carol, carols, bobs, 200_000);
                assertEquals(Set.of(bobs, carols), ids(json(Http.get(server.api("/queue"), admin)).path("items")));
                assertEquals(Set.of(bobs, carols), ids(json(Http.get(server.api("/history"), admin)).path("items")));
                assertEquals(2, json(Http.get(server.api("/stats"), admin)).path("totalDownloads").asInt());
                assertEquals(200, Http.get(server.api("/download/" + carols), admin).statusCode());
            }
        }
    }

    @Test
    void loggingOutDisablingOrDeletingAUserOnOneInstanceEndsItsStreamsOnTheOther() throws Exception {
        String bobId = json(Http.get(one.api("/auth/me"), login(one, "bob"))).path("id").asText();

        String session = login(one, "bob");
        try (SseTestClient byAccessToken = stream(two, "/events/system", session);
             SseTestClient bySseToken = withSseToken(two, session)) {
            assertEquals(200, Http.postJson(one.api("/auth/logout"), "{}", session).statusCode());
            assertTrue(byAccessToken.awaitEnd(WAIT), "logout ended the stream opened with the access token");
            assertTrue(bySseToken.awaitEnd(WAIT), "and the one opened with an SSE token it obtained");
        }

        session = login(two, "bob");
        try (SseTestClient byAccessToken = stream(two, "/events/system", session);
             SseTestClient bySseToken = withSseToken(two, session);
             SseTestClient carols = stream(two, "/events/system", login(two, "carol"))) {
            HttpResponse<String> disabled = send(one, "PATCH", "/users/" + bobId + "/active", "{\"isActive\":false}");
            assertEquals(200, disabled.statusCode(), disabled.body());
            assertTrue(byAccessToken.awaitEnd(WAIT), "disabling ended the user's stream on the other instance");
            assertTrue(bySseToken.awaitEnd(WAIT), "and its SSE token's");
            assertFalse(carols.hasEnded(), "another user's stream carries on");
        }

        assertEquals(200, send(one, "PATCH", "/users/" + bobId + "/active", "{\"isActive\":true}").statusCode());
        session = login(two, "bob");
        try (SseTestClient byAccessToken = stream(two, "/events/system", session);
             SseTestClient bySseToken = withSseToken(two, session)) {
            assertEquals(200, Http.delete(one.api("/users/" + bobId), admin).statusCode());
            assertTrue(byAccessToken.awaitEnd(WAIT), "deleting ended the user's stream on the other instance");
            assertTrue(bySseToken.awaitEnd(WAIT), "and its SSE token's");
        }
        assertEquals(401, Http.get(two.api("/auth/me"), session).statusCode());
    }

    /** Every read path of {@code server}, as {@code user}: its own download and nothing of the other's. */
    private void assertSeesOnly(TestServer server, String user, String own, String others, long size) throws Exception {
        assertEquals(200, Http.get(server.api("/download/" + own), user).statusCode());
        for (String path : List.of("/download/" + others, "/events/downloads/" + others)) {
            HttpResponse<String> refused = Http.get(server.api(path), user);
            assertEquals(404, refused.statusCode(), path);
            assertEquals("Download not found", json(refused).path("detail").asText(), path);
        }
        try (SseTestClient refused = stream(server, "/events/stream?download_id=" + others, user)) {
            assertEquals(404, refused.status());
        }
        assertEquals(404, Http.postJson(server.api("/events/token"), "{\"scope\":\"download:" + others + "\"}", user)
                .statusCode());
        assertEquals(404, Http.postJson(server.api("/download/" + others + "/cancel"), "{}", user).statusCode());
        assertEquals(404, Http.delete(server.api("/download/" + others), user).statusCode());

        assertEquals(Set.of(own), ids(json(Http.get(server.api("/queue"), user)).path("items")), "queue");
        assertEquals(Set.of(own), ids(json(Http.get(server.api("/download/queue?status=completed"), user)).path("items")));
        JsonNode history = json(Http.get(server.api("/history"), user));
        assertEquals(Set.of(own), ids(history.path("items")), "history");
        assertEquals(1, history.path("totalDownloads").asInt());
        JsonNode stats = json(Http.get(server.api("/stats"), user));
        assertEquals(1, stats.path("totalDownloads").asInt(), "stats count only the user's");
        assertEquals(size, stats.path("totalBandwidthUsed").asLong());
        int timelineDownloads = 0;
        for (JsonNode day : json(Http.get(server.api("/timeline"), user))) {
            timelineDownloads += day.path("downloads").asInt();
        }
        assertEquals(1, timelineDownloads, "timeline");
        assertEquals(1, json(Http.get(server.api("/timeline/summary"), user)).path("totalDownloads").asInt());
    }

    /** The stream carried {@code own}'s progress up to completion and nothing of {@code others}. */
    private static void assertOnlyItsOwn(SseTestClient stream, String own, String others) throws Exception {
        stream.next(e -> e.name().equals("download_progress") && own.equals(downloadId(e))
                && "completed".equals(Events.json(e.data()).path("status").asText()), WAIT);
        for (SseEvent event : stream.drainReceived()) {
            assertFalse(event.data() != null && event.data().contains(others), "another user's event: " + event);
        }
    }

    /** The download ids of the events {@code stream} carries until it has seen all of {@code wanted}. */
    private static Set<String> downloadIds(SseTestClient stream, Set<String> wanted) throws Exception {
        Set<String> seen = new HashSet<>();
        while (!seen.containsAll(wanted)) {
            String id = downloadId(stream.next(e -> e.name().equals("download_progress"), WAIT));
            seen.add(id);
        }
        return seen;
    }

    private static String downloadId(SseEvent event) {
        return Events.json(event.data()).path("download_id").asText();
    }

    private static Set<String> ids(JsonNode items) {
        Set<String> ids = new HashSet<>();
        items.forEach(item -> ids.add(item.path("downloadId").asText()));
        return ids;
    }

    private static String login(TestServer server, String username) throws Exception {
        HttpResponse<String> answer = Http.postJson(server.api("/auth/login"),
                "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}");
        assertEquals(200, answer.statusCode(), answer.body());
        return json(answer).path("accessToken").asText();
    }

    private static SseTestClient stream(TestServer server, String path, String bearer) throws Exception {
        SseTestClient client = SseTestClient.open(server.api(path), Map.of("Authorization", "Bearer " + bearer));
        if (client.status() == 200) {
            client.awaitConnected(WAIT);
        }
        return client;
    }

    private static SseTestClient withSseToken(TestServer server, String bearer) throws Exception {
        HttpResponse<String> token = Http.postJson(server.api("/events/token"), "{\"scope\":\"system\"}", bearer);
        assertEquals(200, token.statusCode(), token.body());
        SseTestClient client = SseTestClient.open(server.api("/events/system?token=" + json(token).path("token").asText()));
        assertEquals(200, client.status());
        client.awaitConnected(WAIT);
        return client;
    }

    private HttpResponse<String> send(TestServer server, String method, String path, String body) throws Exception {
        return Http.send(Http.request(server.api(path), admin).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)));
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Events.json(response.body());
    }
}
