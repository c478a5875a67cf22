package io.hermes.realtime.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Browser;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TcpProxy;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;

/**
 * A page written as NotifyHub's ({@code src/test/resources/notifyhub/notifyhub.html}: an {@code EventSource('/events')}
 * with {@code init}, {@code notification} and {@code heartbeat} listeners and a poll of {@code /api/notifications}
 * every 10 s while the stream is down), served from the server's own origin through a TCP proxy that can cut
 * its connection, in real Chromium, with {@code HERMES_PUBLIC_NOTIFICATIONS=true} as such a page needs.
 */
class NotifyHubPageIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int LATENCY_SAMPLES = 100;

    private final TestRedis redis = TestRedis.shared();
    private TestServer server;
    private TcpProxy proxy;
    private Browser browser;

    @BeforeEach
    void start() throws Exception {
        redis.flush();
        browser = Browser.startOrSkip();
        server = TestServer.start(redis, Map.of(Settings.PUBLIC_NOTIFICATIONS, "true", Settings.RETRY_MS, "300"),
                null, Path.of("src/test/resources/notifyhub"));
        proxy = new TcpProxy(server.port());
        HttpResponse<String> page = Http.get(URI.create("http://127.0.0.1:" + proxy.port() + "/notifyhub.html"));
        assertEquals(200, page.statusCode(), page.body());
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void showsNotificationsLiveAndEachOneMissedWhileCutExactlyOnce() throws Exception {
        post("posted before the page opened");
        browser.driver().get("http://127.0.0.1:" + proxy.port() + "/notifyhub.html");
        browser.await("the page's stream is live", WAIT, () -> "live".equals(text("state")));
        browser.await("init listed the earlier notification", WAIT, () -> shownIds().size() == 1);

        // One posted with curl, as NotifyHub's command-line tool would.
        long curlStarted = System.currentTimeMillis();
        String curled = curl("from curl");
        browser.await("the curl notification is shown", WAIT, () -> shownIds().contains(curled));
        long curlLatency = receivedAt(curled) - curlStarted;
        System.out.printf("NotifyHub page: a notification posted with curl shown %d ms after curl started%n",
                curlLatency);

        // Latency of 100, each from just before its POST is sent to the page's listener having shown it; one at a
        // time, each posted once the one before is shown.
        Map<String, Long> sentAt = new HashMap<>();
        for (int i = 0; i < LATENCY_SAMPLES; i++) {
            long before = System.currentTimeMillis();
            String id = post("latency " + i);
            sentAt.put(id, before);
            browser.await("latency sample " + i + " is shown", WAIT, () -> notificationsReceived(id) == 1);
        }
        browser.await("all " + LATENCY_SAMPLES + " are shown", WAIT,
                () -> shownIds().containsAll(sentAt.keySet()));
        List<Long> latencies = new ArrayList<>();
        for (Map.Entry<String, Long> sent : sentAt.entrySet()) {
            latencies.add(receivedAt(sent.getKey()) - sent.getValue());
        }
        Collections.sort(latencies);
        long median = latencies.get(latencies.size() / 2);
        long p99 = latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1);
        System.out.printf("NotifyHub page: delivery latency of %d notifications, POST sent → shown: median %d ms, "
                + "p99 %d ms, max %d ms%n", latencies.size(), median, p99, latencies.get(latencies.size() - 1));
        assertTrue(median <= 100, "median " + median + " ms");
        assertTrue(curlLatency <= 100, "curl's notification took " + curlLatency + " ms");

        // The connection is cut and reconnecting is refused for a while; five are posted meanwhile.
        int initsBefore = count("init");
        proxy.cut(true);
        browser.await("the page saw its stream fail", WAIT, () -> "reconnecting".equals(text("state")));
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            missed.add(post("while cut " + i));
        }
        proxy.restore();
        browser.await("the page is live again", WAIT, () -> "live".equals(text("state")));
        browser.await("every notification posted while cut is shown", WAIT, () -> shownIds().containsAll(missed));
        // One more, live: the stream is in order, so anything sent twice before it has arrived once it is shown.
        String marker = post("after the cut");
        browser.await("the notification posted after the cut is shown", WAIT, () -> shownIds().contains(marker));

        List<String> shown = shownIds();
        for (String id : missed) {
            assertEquals(1, Collections.frequency(shown, id), "shown exactly once: " + id);
            assertEquals(1, notificationsReceived(id), "received exactly once: " + id);
        }
        assertEquals(shown.size(), new java.util.HashSet<>(shown).size(), "no notification is shown twice");
        assertEquals(1 + 1 + LATENCY_SAMPLES + 5 + 1, shown.size(), "every notification is shown");
        assertEquals(initsBefore, count("init"), "the page resumed by id: no second init replaced its list");
        assertEquals(0, count("poll"), "the stream came back before the 10 s fallback poll");
        List<String> newestFirst = shownMessages().subList(1, 6); // below the one posted after the cut
        assertEquals(List.of("while cut 4", "while cut 3", "while cut 2", "while cut 1", "while cut 0"), newestFirst,
                "in the order they were posted");
    }

    @Test
    void pollsEveryTenSecondsWhenItsStreamIsRefused() throws Exception {
        // The only stream slot is taken, so the page's EventSource gets 503 and gives up, as it does for any
        // answer that is not a stream: the page must fall back to polling /api/notifications.
        proxy.close();
        server.close();
        server = TestServer.start(redis, Map.of(Settings.PUBLIC_NOTIFICATIONS, "true", Settings.MAX_CONNECTIONS, "1"),
                null, Path.of("src/test/resources/notifyhub"));
        proxy = new TcpProxy(server.port());
        try (SseTestClient slot = SseTestClient.open(URI.create("http://127.0.0.1:" + server.port() + "/events"))) {
            assertEquals(200, slot.status());
            browser.driver().get("http://127.0.0.1:" + proxy.port() + "/notifyhub.html");
            browser.await("the page's stream was refused", WAIT, () -> "reconnecting".equals(text("state")));
            String posted = post("seen by polling");
            long postedAt = System.currentTimeMillis();
            browser.await("the poll shows the notification", Duration.ofSeconds(25), () -> shownIds().contains(posted));
            System.out.printf("NotifyHub page: with its stream refused, a poll showed the notification after %d ms%n",
                    System.currentTimeMillis() - postedAt);
            assertTrue(count("poll") >= 1);
            assertEquals(0, count("notification"));
            assertEquals(List.of(posted), shownIds());
        }
    }

    private String post(String message) throws Exception {
        HttpResponse<String> created = Http.postJson(URI.create("http://127.0.0.1:" + server.port() + "/api/notifications"),
                "{\"message\":\"" + message + "\"}", TestServer.ADMIN_KEY);
        assertEquals(201, created.statusCode(), created.body());
        return Events.json(created.body()).path("id").asText();
    }

    private String curl(String message) throws Exception {
        Process curl = new ProcessBuilder("curl", "-sS", "-X", "POST",
                "-H", "Authorization: Bearer " + TestServer.ADMIN_KEY, "-H", "Content-Type: application/json",
                "--data", "{\"message\":\"" + message + "\"}",
                "http://127.0.0.1:" + server.port() + "/api/notifications").redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, curl.waitFor(), out);
        JsonNode created = Events.json(out);
        assertEquals(message, created.path("message").asText(), out);
        return created.path("id").asText();
    }

    private JavascriptExecutor script() {
        return (JavascriptExecutor) browser.driver();
    }

    private String text(String id) {
        return (String) script().executeScript("return document.getElementById(arguments[0]).textContent;", id);
    }

    @SuppressWarnings("unchecked")
    private List<String> shownIds() {
        return (List<String>) script().executeScript(
                "return Array.from(document.querySelectorAll('#feed li')).map(li => li.dataset.id);");
    }

    @SuppressWarnings("unchecked")
    private List<String> shownMessages() {
        return (List<String>) script().executeScript(
                "return Array.from(document.querySelectorAll('#feed li')).map(li => li.textContent);");
    }

    private long receivedAt(String id) {
        return ((Number) script().executeScript(
                "return window.feedLog.find(e => e.kind === 'notification' && e.id === arguments[0]).at;", id))
                .longValue();
    }

    private int count(String kind) {
        return ((Number) script().executeScript(
                "return window.feedLog.filter(e => e.kind === arguments[0]).length;", kind)).intValue();
    }

    private int notificationsReceived(String id) {
        return ((Number) script().executeScript(
                "return window.feedLog.filter(e => e.kind === 'notification' && e.id === arguments[0]).length;", id))
                .intValue();
    }
}
