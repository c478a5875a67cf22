package io.hermes.realtime.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.MutableClock;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Accounts and sign-in against a real server and Redis: signup and the first admin, the signup switch,
 * login and its throttle, refresh rotation and reuse detection, logout ending streams, the profile, and an
 * access token taken wherever an API key is.
 */
class AccountsIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int MAX_FAILURES = 3;

    private final TestRedis redis = TestRedis.shared();
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        redis.flush();
        server = TestServer.start(redis, Map.of(Settings.WORKER_ENABLED, "false",
                Settings.LOGIN_MAX_FAILURES, Integer.toString(MAX_FAILURES)));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void theFirstSignupIsAdminAndLaterOnesWaitForTheSwitch() throws Exception {
        assertTrue(json(Http.get(server.api("/config/public"))).path("allowPublicSignup").asBoolean(),
                "open while no account exists");
        HttpResponse<String> first = signup("alice", "alice@example.com", "s3cret-pass");
        assertEquals(200, first.statusCode(), first.body());
        JsonNode auth = json(first);
        assertEquals("bearer", auth.path("tokenType").asText());
        assertTrue(auth.path("accessToken").asText().startsWith("hat_"));
        assertTrue(auth.path("refreshToken").asText().startsWith("hrt_"));
        JsonNode user = auth.path("user");
        assertTrue(user.path("isAdmin").asBoolean());
        assertTrue(user.path("isActive").asBoolean());
        assertEquals("alice", user.path("username").asText());
        for (String field : new String[] {"id", "email", "avatar", "preferences", "createdAt", "lastLogin"}) {
            assertTrue(user.has(field), "User has " + field + ": " + user);
        }
        String admin = auth.path("accessToken").asText();

        assertFalse(json(Http.get(server.api("/config/public"))).path("allowPublicSignup").asBoolean());
        HttpResponse<String> refused = signup("bob", "bob@example.com", "s3cret-pass");
        assertEquals(403, refused.statusCode(), refused.body());

        assertTrue(json(Http.get(server.api("/admin/settings"), admin)).path("updatedAt").isNull(), "never turned");
        assertEquals(200, send("PUT", "/admin/settings/signup", "{\"enabled\":true}", admin).statusCode());
        JsonNode settings = json(Http.get(server.api("/admin/settings"), admin));
        assertTrue(settings.path("allowPublicSignup").asBoolean());
        assertEquals(auth.path("user").path("id").asText(), settings.path("updatedByUserId").asText(),
                "the admin page shows who turned it, and when: " + settings);
        assertTrue(settings.path("updatedAt").asText().endsWith("Z"), settings.toString());
        assertTrue(json(Http.get(server.api("/config/public"))).path("allowPublicSignup").asBoolean());
        HttpResponse<String> second = signup("bob", "bob@example.com", "s3cret-pass");
        assertEquals(200, second.statusCode(), second.body());
        assertFalse(json(second).path("user").path("isAdmin").asBoolean());
        String bob = json(second).path("accessToken").asText();
        assertEquals(403, send("PUT", "/admin/settings/signup", "{\"enabled\":false}", bob).statusCode(),
                "only an admin turns the switch");
        assertEquals(403, Http.get(server.api("/admin/settings"), bob).statusCode());
    }

    @Test
    void anOperatorsFirstAdminIsCreatedAtStartOnlyWhileNoAccountExists() throws Exception {
        server.close();
        redis.flush();
        Map<String, String> operator = Map.of(Settings.WORKER_ENABLED, "false", Settings.ADMIN_USERNAME, "root",
                Settings.ADMIN_PASSWORD, "operator-pass");
        server = TestServer.start(redis, operator);
        assertFalse(json(Http.get(server.api("/config/public"))).path("allowPublicSignup").asBoolean(),
                "an account exists before anyone opened a browser");
        HttpResponse<String> login = Http.postJson(server.api("/auth/login"),
                "{\"username\":\"root\",\"password\":\"operator-pass\"}");
        assertEquals(200, login.statusCode(), login.body());
        assertTrue(json(login).path("user").path("isAdmin").asBoolean());
        String key = "hermes:user:" + json(login).path("user").path("id").asText();
        String before = storedPassword(key);
        server.close();

        // Started again with another password: the account exists, so nothing changes.
        server = TestServer.start(redis, Map.of(Settings.WORKER_ENABLED, "false", Settings.ADMIN_USERNAME, "root",
                Settings.ADMIN_PASSWORD, "another-pass"));
        assertEquals(before, storedPassword(key));
        try (redis.clients.jedis.Jedis jedis = redis.client()) {
            assertEquals(1, jedis.scard("hermes:users"));
        }
    }

    private String storedPassword(String userKey) {
        try (redis.clients.jedis.Jedis jedis = redis.client()) {
            return jedis.hget(userKey, "password");
        }
    }

    @Test
    void twoFirstSignupsAtOnceMakeOneAdmin() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> racing = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            racing.add(Http.sendAsync(Http.request(server.api("/auth/signup"), null)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"user" + i + "\",\"email\":\"user" + i
                            + "@example.com\",\"password\":\"s3cret-pass\"}"))));
        }
        int admins = 0;
        int refused = 0;
        for (CompletableFuture<HttpResponse<String>> answer : racing) {
            HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
            if (response.statusCode() == 200) {
                assertTrue(json(response).path("user").path("isAdmin").asBoolean(), response.body());
                admins++;
            } else {
                assertEquals(403, response.statusCode(), response.body());
                refused++;
            }
        }
        assertEquals(1, admins, "exactly one account was first");
        assertEquals(3, refused);
    }

    @Test
    void aTakenUsernameOrEmailIsAConflictAndBadFieldsAre422() throws Exception {
        assertEquals(200, signup("alice", "alice@example.com", "s3cret-pass").statusCode());
        assertEquals(200, send("PUT", "/admin/settings/signup", "{\"enabled\":true}", TestServer.ADMIN_KEY).statusCode());
        assertEquals(409, signup("ALICE", "other@example.com", "s3cret-pass").statusCode(), "names ignore case");
        assertEquals(409, signup("alice2", "Alice@Example.com", "s3cret-pass").statusCode());
        HttpResponse<String> shortPassword = signup("carol", "carol@example.com", "short");
        assertEquals(422, shortPassword.statusCode());
        assertTrue(json(shortPassword).path("detail").asText().contains("password"), shortPassword.body());
        assertEquals(422, signup("a b", "carol@example.com", "s3cret-pass").statusCode());
        assertEquals(422, signup("carol", "not-an-email", "s3cret-pass").statusCode());
    }

    @Test
    void loginAnswersTheSameForAnUnknownUserAndAWrongPassword() throws Exception {
        signup("alice", "alice@example.com", "s3cret-pass");
        HttpResponse<String> wrong = login("alice", "wrong-password");
        HttpResponse<String> unknown = login("nobody", "wrong-password");
        assertEquals(401, wrong.statusCode());
        assertEquals(401, unknown.statusCode());
        assertEquals("Incorrect username or password", json(wrong).path("detail").asText());
        assertEquals(json(wrong).path("detail"), json(unknown).path("detail"));

        HttpResponse<String> byEmail = login("alice@example.com", "s3cret-pass");
        assertEquals(200, byEmail.statusCode(), byEmail.body());
        assertEquals("alice", json(byEmail).path("user").path("username").asText());
        assertFalse(json(byEmail).path("user").path("lastLogin").isNull());
        assertEquals(200, Http.postJson(server.api("/auth/login"),
                "{\"email\":\"alice@example.com\",\"password\":\"s3cret-pass\"}").statusCode(),
                "the app may send the email as email");
    }

    @Test
    void tooManyFailedLoginsAreRefusedWithRetryAfter() throws Exception {
        signup("alice", "alice@example.com", "s3cret-pass");
        for (int i = 0; i < MAX_FAILURES; i++) {
            assertEquals(401, login("alice", "wrong-password").statusCode());
        }
        HttpResponse<String> throttled = login("alice", "s3cret-pass");
        assertEquals(429, throttled.statusCode(), "even the right password waits out the window");
        long retryAfter = Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter > 0 && retryAfter <= 300, "Retry-After " + retryAfter);
        assertEquals(429, login("someone-else", "whatever").statusCode(), "the address is counted too");
    }

    @Test
    void refreshRotatesAndAReusedRefreshTokenEndsTheSession() throws Exception {
        JsonNode auth = json(signup("alice", "alice@example.com", "s3cret-pass"));
        String firstRefresh = auth.path("refreshToken").asText();

        HttpResponse<String> rotated = Http.postJson(server.api("/auth/refresh"),
                "{\"refreshToken\":\"" + firstRefresh + "\"}");
        assertEquals(200, rotated.statusCode(), rotated.body());
        String secondRefresh = json(rotated).path("refreshToken").asText();
        String secondAccess = json(rotated).path("accessToken").asText();
        assertNotEquals(firstRefresh, secondRefresh);
        assertEquals(200, Http.get(server.api("/auth/me"), secondAccess).statusCode());
        assertEquals(200, Http.get(server.api("/auth/me"), auth.path("accessToken").asText()).statusCode(),
                "the access token before the rotation lives on for the reuse grace (requests under way carry it)");

        HttpResponse<String> snake = Http.postJson(server.api("/auth/refresh"),
                "{\"refresh_token\":\"" + secondRefresh + "\"}");
        assertEquals(200, snake.statusCode(), "snake_case is accepted too");
        String thirdAccess = json(snake).path("accessToken").asText();
        String thirdRefresh = json(snake).path("refreshToken").asText();

        HttpResponse<String> reused = Http.postJson(server.api("/auth/refresh"),
                "{\"refreshToken\":\"" + firstRefresh + "\"}");
        assertEquals(401, reused.statusCode());
        assertEquals(401, Http.get(server.api("/auth/me"), thirdAccess).statusCode(), "reuse ended the session");
        assertEquals(401, Http.postJson(server.api("/auth/refresh"),
                "{\"refreshToken\":\"" + thirdRefresh + "\"}").statusCode());
        assertEquals(401, Http.postJson(server.api("/auth/refresh"), "{}").statusCode());
    }

    @Test
    void refreshesSentTogetherWithOneTokenAllGetTheSamePairUntilTheGraceEnds() throws Exception {
        MutableClock clock = new MutableClock(java.time.Instant.parse("2026-12-07T12:00:00Z"));
        server.close();
        server = TestServer.start(redis, Map.of(Settings.WORKER_ENABLED, "false"), clock);
        String refresh = json(signup("alice", "alice@example.com", "s3cret-pass")).path("refreshToken").asText();
        List<CompletableFuture<HttpResponse<String>>> together = new ArrayList<>();
        for (int i = 0; i < 4; i++) { // the upstream app refreshes once per request that got a 401
            together.add(Http.sendAsync(Http.request(server.api("/auth/refresh"), null)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"refreshToken\":\"" + refresh + "\"}"))));
        }
        java.util.Set<String> pairs = new java.util.HashSet<>();
        for (CompletableFuture<HttpResponse<String>> answer : together) {
            HttpResponse<String> renewed = answer.get(10, TimeUnit.SECONDS);
            assertEquals(200, renewed.statusCode(), renewed.body());
            pairs.add(json(renewed).path("accessToken").asText() + " " + json(renewed).path("refreshToken").asText());
        }
        assertEquals(1, pairs.size(), "one pair for all: " + pairs);
        String[] pair = pairs.iterator().next().split(" ");
        assertEquals(200, Http.get(server.api("/auth/me"), pair[0]).statusCode(), "the session lives");

        clock.advance(Duration.ofSeconds(31)); // past HERMES_REFRESH_REUSE_GRACE (30 s)
        assertEquals(401, Http.postJson(server.api("/auth/refresh"), "{\"refreshToken\":\"" + refresh + "\"}")
                .statusCode(), "shown again after the grace: reuse");
        assertEquals(401, Http.get(server.api("/auth/me"), pair[0]).statusCode(), "which ended the session");
        assertEquals(401, Http.postJson(server.api("/auth/refresh"), "{\"refreshToken\":\"" + pair[1] + "\"}")
                .statusCode());
    }

    @Test
    void aReplacedAccessTokenServesRequestsUnderWayUntilTheSessionEnds() throws Exception {
        // The upstream app: a burst of requests gets 401, each refreshes; a late one refreshes with the pair
        // the first refresh gave, while the others retry with that pair's access token.
        JsonNode first = json(signup("alice", "alice@example.com", "s3cret-pass"));
        JsonNode second = json(Http.postJson(server.api("/auth/refresh"),
                "{\"refreshToken\":\"" + first.path("refreshToken").asText() + "\"}"));
        String retrying = second.path("accessToken").asText();
        JsonNode third = json(Http.postJson(server.api("/auth/refresh"),
                "{\"refreshToken\":\"" + second.path("refreshToken").asText() + "\"}"));
        assertEquals(200, Http.get(server.api("/auth/me"), retrying).statusCode(), "the retry still succeeds");
        assertEquals(200, Http.get(server.api("/auth/me"), third.path("accessToken").asText()).statusCode());
        assertEquals(200, Http.postJson(server.api("/auth/logout"), "{}", third.path("accessToken").asText())
                .statusCode());
        for (JsonNode pair : List.of(first, second, third)) {
            assertEquals(401, Http.get(server.api("/auth/me"), pair.path("accessToken").asText()).statusCode(),
                    "logout ends every access token of the session");
        }
    }

    @Test
    void logoutEndsTheAccessTokenAndTheStreamsOpenedWithIt() throws Exception {
        String access = json(signup("alice", "alice@example.com", "s3cret-pass")).path("accessToken").asText();
        String other = json(login("alice", "s3cret-pass")).path("accessToken").asText();
        HttpResponse<String> issued = Http.postJson(server.api("/events/token"), "{\"scope\":\"system\"}", access);
        assertEquals(200, issued.statusCode(), issued.body());
        String sseToken = json(issued).path("token").asText();
        try (SseTestClient bearer = SseTestClient.open(server.api("/events/system"),
                Map.of("Authorization", "Bearer " + access));
             SseTestClient byToken = SseTestClient.open(server.api("/events/system?token=" + sseToken));
             SseTestClient otherSession = SseTestClient.open(server.api("/events/system"),
                     Map.of("Authorization", "Bearer " + other))) {
            for (SseTestClient client : new SseTestClient[] {bearer, byToken, otherSession}) {
                assertEquals(200, client.status());
                client.awaitConnected(WAIT);
            }
            HttpResponse<String> out = Http.postJson(server.api("/auth/logout"), "{}", access);
            assertEquals(200, out.statusCode(), out.body());
            assertTrue(bearer.awaitEnd(WAIT), "the Bearer stream of the session ended");
            assertTrue(byToken.awaitEnd(WAIT), "so did the stream of the SSE token it obtained");
            assertFalse(otherSession.hasEnded(), "another session of the same user carries on");
        }
        assertEquals(401, Http.get(server.api("/auth/me"), access).statusCode());
        assertEquals(401, Http.get(server.api("/queue"), access).statusCode());
        try (SseTestClient again = SseTestClient.open(server.api("/events/system?token=" + sseToken))) {
            assertEquals(401, again.status());
        }
        assertEquals(200, Http.get(server.api("/auth/me"), other).statusCode());
        assertEquals(401, Http.postJson(server.api("/auth/logout"), "{}", TestServer.ADMIN_KEY).statusCode(),
                "an API key has no session to end");
    }

    @Test
    void meAndProfileShowAndChangeTheSignedInUser() throws Exception {
        String access = json(signup("alice", "alice@example.com", "s3cret-pass")).path("accessToken").asText();
        send("PUT", "/admin/settings/signup", "{\"enabled\":true}", access);
        signup("bob", "bob@example.com", "s3cret-pass");
        JsonNode me = json(Http.get(server.api("/auth/me"), access));
        assertEquals("alice", me.path("username").asText());
        assertTrue(me.path("avatar").isNull());

        HttpResponse<String> changed = send("PATCH", "/auth/profile",
                "{\"email\":\"alice@new.example\",\"avatar\":\"https://example.com/a.png\","
                        + "\"preferences\":{\"theme\":\"dark\",\"downloadSubtitles\":true}}", access);
        assertEquals(200, changed.statusCode(), changed.body());
        JsonNode user = json(changed);
        assertEquals("alice@new.example", user.path("email").asText());
        assertEquals("https://example.com/a.png", user.path("avatar").asText());
        assertEquals("dark", user.path("preferences").path("theme").asText());
        assertEquals(200, login("alice@new.example", "s3cret-pass").statusCode(), "the new email signs in");
        assertEquals(401, login("alice@example.com", "s3cret-pass").statusCode(), "the old one no longer does");

        assertEquals(409, send("PATCH", "/auth/profile", "{\"email\":\"bob@example.com\"}", access).statusCode());
        assertEquals(400, send("PATCH", "/auth/profile", "{}", access).statusCode());
        assertEquals(401, Http.get(server.api("/auth/me"), TestServer.ADMIN_KEY).statusCode(),
                "an API key is no signed-in user");
    }

    @Test
    void anAccessTokenWorksWhereAKeyDoesAndItsDownloadsBelongToTheUser() throws Exception {
        JsonNode auth = json(signup("alice", "alice@example.com", "s3cret-pass"));
        String access = auth.path("accessToken").asText();
        String userId = auth.path("user").path("id").asText();
        assertEquals(200, Http.get(server.api("/queue"), access).statusCode());
        HttpResponse<String> submitted = Http.postJson(server.api("/download"),
                "{\"url\":\"https://example.com/file.bin\"}", access);
        assertEquals(200, submitted.statusCode(), submitted.body());
        String downloadId = json(submitted).path("downloadId").asText();
        JsonNode status = json(Http.get(server.api("/download/" + downloadId), TestServer.ADMIN_KEY));
        assertEquals(userId, status.path("owner").asText(), "a session's download belongs to its user");
        HttpResponse<String> token = Http.postJson(server.api("/events/token"),
                "{\"scope\":\"download:" + downloadId + "\"}", access);
        assertEquals(200, token.statusCode(), token.body());
        assertEquals(401, Http.get(server.api("/queue"), "hat_" + "x".repeat(43)).statusCode());
    }

    @Test
    void aSignedInUserManagesKeysOfItsOwnOnly() throws Exception {
        String alice = json(signup("alice", "alice@example.com", "s3cret-pass")).path("accessToken").asText();
        send("PUT", "/admin/settings/signup", "{\"enabled\":true}", alice);
        JsonNode bobAuth = json(signup("bob", "bob@example.com", "s3cret-pass"));
        String bob = bobAuth.path("accessToken").asText();
        String bobId = bobAuth.path("user").path("id").asText();

        HttpResponse<String> created = Http.postJson(server.api("/auth/api-keys"),
                "{\"name\":\"mine\",\"permissions\":[\"read\",\"write\"]}", bob);
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(bobId, json(created).path("owner").asText(), "a user's key belongs to the user");
        String bobKey = json(created).path("key").asText();
        assertEquals(403, Http.postJson(server.api("/auth/api-keys"),
                "{\"name\":\"more\",\"permissions\":[\"admin\"]}", bob).statusCode(), "no permission it lacks");
        assertEquals(403, Http.postJson(server.api("/auth/api-keys"),
                "{\"name\":\"theirs\",\"owner\":\"carol\"}", bob).statusCode(), "no key for another owner");
        HttpResponse<String> others = Http.postJson(server.api("/auth/api-keys"),
                "{\"name\":\"carol's\",\"owner\":\"carol\"}", TestServer.ADMIN_KEY);
        String othersId = json(others).path("id").asText();

        JsonNode listed = json(Http.get(server.api("/auth/api-keys"), bob));
        assertEquals(1, listed.size(), listed.toString());
        assertEquals("mine", listed.get(0).path("name").asText());
        assertEquals(2, json(Http.get(server.api("/auth/api-keys"), alice)).size(), "an admin sees all");
        assertEquals(404, Http.delete(server.api("/auth/api-keys/" + othersId), bob).statusCode());

        String downloadId = json(Http.postJson(server.api("/download"), "{\"url\":\"https://example.com/k.bin\"}",
                bobKey)).path("downloadId").asText();
        assertEquals(bobId, json(Http.get(server.api("/download/" + downloadId), TestServer.ADMIN_KEY)).path("owner")
                .asText(), "a download made with a user's key belongs to the user");
        assertEquals(403, Http.get(server.api("/auth/api-keys"), bobKey).statusCode(), "a key manages no keys");
        assertEquals(200, Http.delete(server.api("/auth/api-keys/" + json(created).path("id").asText()), bob)
                .statusCode());
        assertEquals(401, Http.get(server.api("/queue"), bobKey).statusCode());
    }

    @Test
    void changingThePasswordEndsTheUsersOtherSessions() throws Exception {
        String here = json(signup("alice", "alice@example.com", "s3cret-pass")).path("accessToken").asText();
        String elsewhere = json(login("alice", "s3cret-pass")).path("accessToken").asText();
        assertEquals(401, Http.postJson(server.api("/auth/change-password"),
                "{\"currentPassword\":\"wrong-one\",\"newPassword\":\"n3w-s3cret\"}", here).statusCode());
        assertEquals(400, Http.postJson(server.api("/auth/change-password"),
                "{\"currentPassword\":\"s3cret-pass\",\"newPassword\":\"s3cret-pass\"}", here).statusCode());
        assertEquals(422, Http.postJson(server.api("/auth/change-password"),
                "{\"currentPassword\":\"s3cret-pass\",\"newPassword\":\"short\"}", here).statusCode());
        HttpResponse<String> changed = Http.postJson(server.api("/auth/change-password"),
                "{\"current_password\":\"s3cret-pass\",\"new_password\":\"n3w-s3cret\"}", here);
        assertEquals(200, changed.statusCode(), changed.body());
        assertEquals(200, Http.get(server.api("/auth/me"), here).statusCode(), "the session that changed it stays");
        assertEquals(401, Http.get(server.api("/auth/me"), elsewhere).statusCode(), "every other session ends");
        assertEquals(401, login("alice", "s3cret-pass").statusCode());
        assertEquals(200, login("alice", "n3w-s3cret").statusCode());
    }

    private HttpResponse<String> signup(String username, String email, String password) throws Exception {
        return Http.postJson(server.api("/auth/signup"), "{\"username\":\"" + username + "\",\"email\":\"" + email
                + "\",\"password\":\"" + password + "\"}");
    }

    private HttpResponse<String> login(String username, String password) throws Exception {
        return Http.postJson(server.api("/auth/login"),
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
    }

    private HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
        return Http.send(Http.request(server.api(path), key).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)));
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Events.json(response.body());
    }
}
