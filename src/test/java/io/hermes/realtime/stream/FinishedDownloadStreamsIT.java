package io.hermes.realtime.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Browser;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.FileServer;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.SseEvent;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;

/**
 * A download's stream ends after the download's final status, and a client that was shown that end and comes
 * back with the same SSE token gets 204, which stops an {@code EventSource}. Without that, the upstream web app,
 * which keeps one stream per tracked task, held a connection per finished download and froze at six of them over
 * HTTP/1.1 (a browser's limit per server): the last test drives a page that tracks eight as the app does.
 */
class FinishedDownloadStreamsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TestRedis redis = TestRedis.shared();
    private FileServer files;
    private TestServer server;
    @TempDir
    Path downloads;
    @TempDir
    Path temp;

    @BeforeEach
    void start() throws Exception {
        redis.flush();
        files = new FileServer(20);
        server = TestServer.start(redis, Map.of(Settings.DOWNLOAD_DIR, downloads.toString(), Settings.TEMP_DIR,
                temp.toString(), Settings.ALLOW_PRIVATE_URLS, "true", Settings.RETRY_MS, "200"), null,
                Path.of("src/test/resources/tracked-tasks"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        files.close();
    }

    @Test
    void aStreamEndsAtTheFinalStatusAndTheSameTokenIsThenToldItIsOver() throws Exception {
        String id = server.downloads().submit(files.uri("/slow/" + 256 * 1024).toString());
        String token = token("download:" + id);
        URI stream = server.api("/events/downloads/" + id + "?token=" + token);
        String lastId;
        try (SseTestClient live = SseTestClient.open(stream)) {
            assertEquals(200, live.status());
            SseEvent completed = live.next(e -> e.name().equals("download_progress")
                    && "completed".equals(Events.json(e.data()).path("status").asText()), WAIT);
            lastId = completed.id();
            assertTrue(live.awaitEnd(Duration.ofSeconds(10)), "the stream ends after the final status");
        }
        // An EventSource comes back by itself, with Last-Event-ID (the upstream app's hook, without): the end it
        // saw live was not recorded (the writer that sent it never waits on Redis), so it is shown the final state
        // once more, and from then on the stream is over.
        Map<String, String> resuming = lastId == null ? Map.of() : Map.of("Last-Event-ID", lastId);
        try (SseTestClient back = SseTestClient.open(stream, resuming)) {
            assertEquals(200, back.status());
            assertEquals("completed", Events.json(back.next(e -> e.name().equals("download_progress"), WAIT).data())
                    .path("status").asText());
            assertTrue(back.awaitEnd(Duration.ofSeconds(10)));
        }
        assertOver(SseTestClient.open(stream, resuming));
        assertOver(SseTestClient.open(stream));

        // A new token (a page opened again) is shown the final state once, then the stream ends; then 204.
        String fresh = token("download:" + id);
        URI again = server.api("/events/downloads/" + id + "?token=" + fresh);
        try (SseTestClient reopened = SseTestClient.open(again)) {
            assertEquals(200, reopened.status());
            SseEvent state = reopened.next(e -> e.name().equals("download_progress"), WAIT);
            assertEquals("completed", Events.json(state.data()).path("status").asText());
            assertTrue(reopened.awaitEnd(Duration.ofSeconds(10)), "nothing more can happen: the stream ends");
        }
        assertOver(SseTestClient.open(again));
        assertOver(SseTestClient.open(again, Map.of("Last-Event-ID", "0-1")));

        // A key has no memory of what it was shown (curl, a script): the final state, then the end, every time.
        for (int i = 0; i < 2; i++) {
            try (SseTestClient byKey = server.stream("/events/downloads/" + id)) {
                assertEquals(200, byKey.status());
                assertEquals("completed", Events.json(byKey.next(e -> e.name().equals("download_progress"), WAIT)
                        .data()).path("status").asText());
                assertTrue(byKey.awaitEnd(Duration.ofSeconds(10)));
            }
        }
        // An unknown or foreign id is still a 404, not a 204.
        try (SseTestClient unknown = SseTestClient.open(server.api("/events/downloads/"
                + "00000000-0000-4000-8000-000000000000?token=" + fresh))) {
            assertTrue(unknown.status() == 403 || unknown.status() == 404, "status " + unknown.status());
        }
    }

    @Test
    void aFailedDownloadEndsItsStreamToo() throws Exception {
        String id = server.downloads().submit(files.uri("/missing/1").toString());
        try (SseTestClient live = server.stream("/events/downloads/" + id)) {
            SseEvent failed = live.next(e -> e.name().equals("download_progress")
                    && "failed".equals(Events.json(e.data()).path("status").asText()), WAIT);
            assertTrue(Events.json(failed.data()).path("error_message").asText().length() > 0, failed.data());
            assertTrue(live.awaitEnd(Duration.ofSeconds(10)));
        }
    }

    @Test
    void aPageTrackingEightFinishedDownloadsAsTheUpstreamAppDoesKeepsNoConnection() throws Exception {
        Browser browser = Browser.startOrSkip();
        try (browser) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ids.add(server.downloads().submit(files.uri("/fast/" + (1000 + i)).toString()));
            }
            for (String id : ids) {
                server.downloads().awaitStatus(id, "completed", WAIT);
            }
            Map<String, String> tokens = new HashMap<>();
            for (String id : ids) {
                tokens.put(id, token("download:" + id));
            }
            browser.driver().get("http://127.0.0.1:" + server.port() + "/tracked-tasks.html");
            JavascriptExecutor page = (JavascriptExecutor) browser.driver();
            page.executeScript("window.trackAll(arguments[0]);", tokens);
            browser.await("every task shows its final state and stopped reconnecting", WAIT,
                    () -> Boolean.TRUE.equals(page.executeScript("return window.allSettled();")));
            @SuppressWarnings("unchecked")
            Map<String, Object> shown = (Map<String, Object>) page.executeScript("return window.shown;");
            for (String id : ids) {
                assertEquals("completed", shown.get(id), "task " + id);
            }
            // The page can still talk to the server: no connection is held by a finished task.
            long started = System.nanoTime();
            Object health = page.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "fetch('/api/v1/health').then(r => done(r.status), e => done(String(e)));");
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(200L, ((Number) health).longValue());
            assertTrue(millis < 2000, "a request from the page took " + millis + " ms");
            assertEquals(0, openStreams(), "no stream stays open");
            @SuppressWarnings("unchecked")
            Map<String, Object> opens = (Map<String, Object>) page.executeScript("return window.opens;");
            System.out.println("Tracked finished downloads: streams opened per task until it stopped: " + opens.values());
        }
    }

    private int openStreams() throws Exception {
        JsonNode health = Events.json(Http.get(server.api("/events/health")).body());
        return health.path("active_connections").asInt();
    }

    private void assertOver(SseTestClient client) throws Exception {
        try (client) {
            assertEquals(204, client.status(), "a stream that is over answers 204");
            assertEquals("", client.errorBody(), "204 has no body");
        }
    }

    private String token(String scope) throws Exception {
        HttpResponse<String> issued = server.post("/events/token", "{\"scope\":\"" + scope + "\",\"ttl\":600}");
        assertEquals(200, issued.statusCode() / 100 * 100, issued.body());
        return Events.json(issued.body()).path("token").asText();
    }
}
