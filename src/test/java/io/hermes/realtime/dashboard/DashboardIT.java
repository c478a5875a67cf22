package io.hermes.realtime.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Browser;
import io.hermes.realtime.testing.FileServer;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.TcpProxy;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;

/**
 * The dashboard in a real headless Chromium against the WAR in Jetty and a real Redis: what a person sees
 * while downloads run, notifications arrive and the connection fails.
 */
class DashboardIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TestRedis redis = TestRedis.shared();
    private Browser browser;
    private TestServer server;
    private FileServer files;
    @TempDir
    Path downloads;
    @TempDir
    Path temp;

    @BeforeEach
    void start() throws Exception {
        browser = Browser.startOrSkip();
        redis.flush();
        files = new FileServer(40);
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
        if (files != null) {
            files.close();
        }
    }

    private TestServer server(Map<String, String> extra) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(Settings.DOWNLOAD_DIR, downloads.toString(),
                Settings.TEMP_DIR, temp.toString(), Settings.ALLOW_PRIVATE_URLS, "true"));
        settings.putAll(extra);
        server = TestServer.start(settings);
        return server;
    }

    private WebDriver open(int port) {
        WebDriver page = browser.driver();
        page.get("http://127.0.0.1:" + port + "/#key=" + TestServer.ADMIN_KEY);
        return page;
    }

    private String connectionState() {
        return browser.driver().findElement(By.id("connection-state")).getText().trim();
    }

    private void awaitConnection(String state) {
        browser.await("connection state becomes " + state, WAIT, () -> connectionState().equals(state));
    }

    @Test
    void submittedDownloadMovesAndCompletesAndStatsAndTimelineFollowWithoutAReload() throws Exception {
        server(Map.of());
        WebDriver page = open(server.port());
        awaitConnection("live");
        server.post("/notifications", "{\"message\":\"Nightly backup finished\",\"notificationType\":\"info\"}");
        String url = files.uri("/slow/" + 60L * 64 * 1024).toString(); // about 2.4 s
        page.findElement(By.id("urls")).sendKeys(url);
        page.findElement(By.cssSelector("#submit-form button[type=submit], #submit-form input[type=submit]")).click();

        By row = By.cssSelector("#queue [data-download-id]");
        browser.await("the download appears", WAIT, () -> !page.findElements(row).isEmpty());
        Set<Double> seen = new TreeSet<>();
        String screenshot = System.getProperty("hermes.screenshot");
        boolean[] shot = {screenshot == null};
        browser.await("the download completes", WAIT, () -> {
            WebElement item = page.findElement(row);
            String value = item.findElement(By.cssSelector(".progress-bar")).getAttribute("aria-valuenow");
            if (value != null && !value.isEmpty()) {
                double percentage = Double.parseDouble(value);
                seen.add(percentage);
                if (!shot[0] && percentage > 30 && percentage < 90) {
                    shot[0] = true;
                    saveScreenshot(screenshot); // the README's picture: a download on its way
                }
            }
            return item.findElement(By.cssSelector(".status")).getText().trim().equals("completed");
        });
        assertTrue(seen.stream().anyMatch(value -> value > 0 && value < 100), "the bar moved through " + seen);
        assertEquals("100", trimmed(page.findElement(row).findElement(By.cssSelector(".progress-bar"))
                .getAttribute("aria-valuenow")));

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        browser.await("stats count the completed download", WAIT,
                () -> page.findElement(By.id("stat-successful")).getText().contains("1"));
        browser.await("the timeline shows today's download", WAIT, () -> page.findElements(
                By.cssSelector("#timeline rect.bar[data-date='" + today + "'][data-downloads='1']")).size() == 1);
        assertEquals("live", connectionState());
    }

    private void saveScreenshot(String target) {
        try {
            browser.screenshot(Path.of(target));
        } catch (java.io.IOException failed) {
            throw new java.io.UncheckedIOException(failed);
        }
    }

    private static String trimmed(String percentage) {
        return percentage.replaceFirst("\\.0+$", "");
    }

    @Test
    void notificationPostedThroughTheApiAppears() throws Exception {
        server(Map.of());
        WebDriver page = open(server.port());
        awaitConnection("live");
        server.post("/notifications", "{\"message\":\"Disk check finished\",\"notificationType\":\"warning\"}");
        browser.await("the notification is listed", WAIT, () -> page.findElements(By.cssSelector("#notifications li.notification"))
                .stream().anyMatch(item -> item.getText().contains("Disk check finished")));
        browser.await("the notification is announced", WAIT,
                () -> page.findElement(By.id("announcer")).getText().contains("Disk check finished"));
    }

    @Test
    void withSseDisabledThePageSaysPollingAndStillUpdates() throws Exception {
        server(Map.of(Settings.ENABLE_SSE, "false"));
        WebDriver page = open(server.port());
        awaitConnection("polling");
        page.findElement(By.id("urls")).sendKeys(files.uri("/slow/" + 20L * 64 * 1024).toString());
        page.findElement(By.id("submit-button")).click();
        By row = By.cssSelector("#queue [data-download-id]");
        // Polling at the old client's pace (2 s while active, 10 s when only queued, 30 s idle).
        browser.await("polling shows the download completed", Duration.ofSeconds(75), () -> page.findElements(row).stream()
                .anyMatch(item -> item.findElement(By.cssSelector(".status")).getText().trim().equals("completed")));
        assertEquals("polling", connectionState());
        // The page told the server it polls, once: it reports switches, not every health re-check.
        assertEquals(1, fallbackReports("polling"));
        assertEquals(0, fallbackReports("streaming"));
    }

    /** The server's count of the pages' fallback reports of {@code state}. */
    private double fallbackReports(String state) throws Exception {
        java.net.http.HttpResponse<String> metrics = io.hermes.realtime.testing.Http.get(
                java.net.URI.create("http://127.0.0.1:" + server.port() + "/metrics"), TestServer.ADMIN_KEY);
        return io.hermes.realtime.testing.Scrape.parse(metrics.body())
                .value("hermes_client_fallback_reports_total", "state", state);
    }

    @Test
    void aKilledStreamShowsReconnectingThenCatchesUpWithNothingMissed() throws Exception {
        server(Map.of());
        try (TcpProxy proxy = new TcpProxy(server.port())) {
            WebDriver page = open(proxy.port());
            awaitConnection("live");
            server.post("/notifications", "{\"message\":\"before the cut\"}");
            browser.await("first notification", WAIT, () -> notifications(page).contains("before the cut"));

            proxy.cut(true);
            awaitConnection("reconnecting");
            List<String> sentDuringTheGap = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                String message = "during the gap " + i;
                server.post("/notifications", "{\"message\":\"" + message + "\"}");
                sentDuringTheGap.add(message);
            }
            proxy.restore();
            awaitConnection("live");
            browser.await("every notification of the gap arrives", WAIT,
                    () -> notifications(page).containsAll(sentDuringTheGap));
            List<String> shown = notifications(page);
            for (String message : sentDuringTheGap) {
                assertEquals(1, shown.stream().filter(message::equals).count(), "shown once: " + message);
            }
            assertEquals(1, shown.stream().filter("before the cut"::equals).count());
        }
    }

    @Test
    void signingInWithAPasswordShowsWhoThenGoesLiveAndSigningOutReturnsToTheForm() throws Exception {
        server(Map.of(Settings.ADMIN_USERNAME, "ada", Settings.ADMIN_PASSWORD, "correct horse battery"));
        WebDriver page = browser.driver();
        page.get("http://127.0.0.1:" + server.port() + "/");
        browser.await("the sign-in form is shown", WAIT, () -> page.findElement(By.id("sign-in-form")).isDisplayed());

        signIn(page, "ada", "wrong password");
        browser.await("a wrong password is explained", WAIT,
                () -> signInError(page).contains("Wrong username or password"));
        assertTrue(page.findElement(By.id("key-panel")).isDisplayed());
        assertTrue(!page.findElement(By.id("main")).isDisplayed(), "no dashboard without a sign-in");

        signIn(page, "ada", "correct horse battery");
        browser.await("the page says who is signed in", WAIT,
                () -> page.findElement(By.id("signed-in")).getText().equals("Signed in as ada"));
        assertTrue(!page.findElement(By.id("forget-key")).isDisplayed(), "no key to forget");
        awaitConnection("live");
        server.post("/notifications", "{\"message\":\"Hello, signed-in user\",\"notificationType\":\"info\"}");
        browser.await("the notification arrives over the signed-in stream", WAIT,
                () -> notifications(page).contains("Hello, signed-in user"));
        String stored = (String) ((org.openqa.selenium.JavascriptExecutor) page)
                .executeScript("return localStorage.getItem('hermes.session');");
        assertTrue(stored != null && stored.contains("refreshToken"), "the session is kept like the key: " + stored);

        page.findElement(By.id("sign-out")).click();
        browser.await("the sign-in form is back", WAIT, () -> page.findElement(By.id("sign-in-form")).isDisplayed());
        assertTrue(!page.findElement(By.id("main")).isDisplayed(), "the dashboard is gone");
        assertEquals(null, ((org.openqa.selenium.JavascriptExecutor) page)
                .executeScript("return localStorage.getItem('hermes.session');"));
        String accessToken = stored.replaceFirst(".*\"accessToken\":\"([^\"]+)\".*", "$1");
        assertEquals(401, Http.get(server.api("/auth/me"), accessToken).statusCode(), "logout ended the session");
    }

    @Test
    void tooManyWrongPasswordsSayHowLongToWait() throws Exception {
        server(Map.of(Settings.ADMIN_USERNAME, "ada", Settings.ADMIN_PASSWORD, "correct horse battery",
                Settings.LOGIN_MAX_FAILURES, "1", Settings.LOGIN_WINDOW, "300"));
        WebDriver page = browser.driver();
        page.get("http://127.0.0.1:" + server.port() + "/");
        signIn(page, "ada", "wrong password");
        browser.await("a wrong password is explained", WAIT,
                () -> signInError(page).contains("Wrong username or password"));
        signIn(page, "ada", "correct horse battery");
        browser.await("the throttle is explained with the wait", WAIT,
                () -> signInError(page).equals("Too many failed attempts. Try again in 5 minutes."));
        assertTrue(!page.findElement(By.id("main")).isDisplayed(), "no dashboard while throttled");
    }

    @Test
    void aRefusedAccessTokenIsRenewedWithTheRefreshTokenAndARefusedRefreshTokenAsksToSignInAgain() throws Exception {
        // No reuse grace: the rotated refresh token shown again below must be refused at once.
        server(Map.of(Settings.ADMIN_USERNAME, "ada", Settings.ADMIN_PASSWORD, "correct horse battery",
                Settings.REFRESH_REUSE_GRACE, "0"));
        WebDriver page = browser.driver();
        org.openqa.selenium.JavascriptExecutor script = (org.openqa.selenium.JavascriptExecutor) page;
        page.get("http://127.0.0.1:" + server.port() + "/");
        signIn(page, "ada", "correct horse battery");
        awaitConnection("live");
        String first = (String) script.executeScript("return localStorage.getItem('hermes.session');");

        // As an access token past its life would be: the server answers 401, the page refreshes and retries.
        script.executeScript("const s = JSON.parse(localStorage.getItem('hermes.session'));"
                + "s.accessToken = 'hat_expired'; localStorage.setItem('hermes.session', JSON.stringify(s));");
        page.navigate().refresh();
        awaitConnection("live");
        assertEquals("Signed in as ada", page.findElement(By.id("signed-in")).getText());
        String renewed = (String) script.executeScript("return localStorage.getItem('hermes.session');");
        assertTrue(!refreshToken(renewed).equals(refreshToken(first)) && !renewed.contains("hat_expired"),
                "both tokens were replaced: " + renewed);

        // Both tokens refused (the old refresh token was rotated away): back to the form, saying why.
        script.executeScript("localStorage.setItem('hermes.session', arguments[0]);", first.replace(
                "\"accessToken\":\"", "\"accessToken\":\"x"));
        page.navigate().refresh();
        browser.await("the sign-in form is back", WAIT, () -> page.findElement(By.id("sign-in-form")).isDisplayed());
        assertTrue(page.findElement(By.id("key-reason")).getText().contains("Sign in again"));
        assertEquals(null, script.executeScript("return localStorage.getItem('hermes.session');"));
    }

    @Test
    void anAccessTokenTenMinutesOldIsRenewedWithoutWaitingForARefusal() throws Exception {
        server(Map.of(Settings.ADMIN_USERNAME, "ada", Settings.ADMIN_PASSWORD, "correct horse battery"));
        WebDriver page = browser.driver();
        org.openqa.selenium.JavascriptExecutor script = (org.openqa.selenium.JavascriptExecutor) page;
        page.get("http://127.0.0.1:" + server.port() + "/");
        signIn(page, "ada", "correct horse battery");
        awaitConnection("live");
        // Issued 11 minutes ago as far as the page knows: its renewal is overdue and runs at once.
        script.executeScript("const s = JSON.parse(localStorage.getItem('hermes.session'));"
                + "s.issuedAt = Date.now() - 11 * 60 * 1000;"
                + "localStorage.setItem('hermes.session', JSON.stringify(s));");
        String first = (String) script.executeScript("return localStorage.getItem('hermes.session');");
        page.navigate().refresh();
        browser.await("the tokens are renewed", WAIT, () -> !refreshToken((String) script.executeScript(
                "return localStorage.getItem('hermes.session') ?? '';")).equals(refreshToken(first)));
        Number age = (Number) script.executeScript(
                "return Date.now() - JSON.parse(localStorage.getItem('hermes.session')).issuedAt;");
        assertTrue(age.longValue() < 60_000, "issued just now: " + age);
        awaitConnection("live");
        String renewed = (String) script.executeScript("return localStorage.getItem('hermes.session');");
        String accessToken = renewed.replaceFirst(".*\"accessToken\":\"([^\"]+)\".*", "$1");
        assertEquals(200, Http.get(server.api("/auth/me"), accessToken).statusCode());
    }

    @Test
    void theKeyEnteredBesideTheSignInFormStillWorksAndForgetKeyReturnsToTheForm() throws Exception {
        server(Map.of());
        WebDriver page = browser.driver();
        org.openqa.selenium.JavascriptExecutor script = (org.openqa.selenium.JavascriptExecutor) page;
        page.get("http://127.0.0.1:" + server.port() + "/");
        page.findElement(By.id("api-key")).sendKeys("not-a-key");
        page.findElement(By.cssSelector("#key-form button[type=submit]")).click();
        browser.await("a wrong key is explained", WAIT,
                () -> page.findElement(By.id("key-error")).getText().contains("did not accept this key"));
        WebElement key = page.findElement(By.id("api-key"));
        key.clear();
        key.sendKeys(TestServer.ADMIN_KEY);
        page.findElement(By.cssSelector("#key-form button[type=submit]")).click();
        awaitConnection("live");
        assertTrue(page.findElement(By.id("forget-key")).isDisplayed());
        assertTrue(!page.findElement(By.id("signed-in")).isDisplayed(), "nobody is signed in with a key");
        assertTrue(!page.findElement(By.id("sign-out")).isDisplayed(), "nothing to sign out of");
        assertEquals(TestServer.ADMIN_KEY, script.executeScript("return localStorage.getItem('hermes.apiKey');"));

        page.findElement(By.id("forget-key")).click();
        browser.await("the form is back", WAIT, () -> page.findElement(By.id("key-panel")).isDisplayed());
        assertEquals(null, script.executeScript("return localStorage.getItem('hermes.apiKey');"));
    }

    /**
     * The case: more tabs than a browser opens HTTP/1.1 connections to one origin (six). They share
     * one stream, held by one tab: all go live at once, each answers its own REST calls, and each shows a
     * notification exactly once (counted as events applied, not only as items on the page).
     */
    @Test
    void tenTabsOverHttp11ShareOneStreamAndEachShowsANotificationExactlyOnce() throws Exception {
        server(Map.of());
        warmUp();
        long opened = System.currentTimeMillis();
        List<String> tabs = browser.openTabs(withKey("http://127.0.0.1:" + server.port() + "/"), 10);
        awaitEveryTab(tabs, "live", indicator -> indicator.state().equals("live"));
        long allLive = tabs.stream().mapToLong(tab -> indicator(tab).since()).max().orElseThrow() - opened;
        System.out.printf("DashboardIT: ten tabs opened at once over HTTP/1.1, all live after %d ms%n", allLive);
        assertTrue(allLive <= 3000, "all ten tabs live within 3 s; it took " + allLive + " ms");
        List<String> roles = tabs.stream().map(tab -> indicator(tab).stream()).sorted().toList();
        assertEquals(1, roles.stream().filter("holder"::equals).count(), "one tab holds the stream: " + roles);
        assertEquals(9, roles.stream().filter("shared"::equals).count(), "nine use it: " + roles);

        for (String tab : tabs) {
            browser.focus(tab);
            Object status = script().executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "const key = localStorage.getItem('hermes.apiKey');"
                    + "fetch('api/v1/queue?limit=1', {headers: {Authorization: 'Bearer ' + key}})"
                    + ".then((answer) => done(answer.status), (error) => done(String(error)));");
            assertEquals(200L, status, "a REST call from tab " + tab);
            browser.await("the queue is loaded in every tab", WAIT,
                    () -> browser.driver().findElement(By.id("queue-empty")).isDisplayed());
        }

        Map<String, Integer> before = eventsApplied(tabs);
        postNotification("One for every tab");
        awaitEveryTab(tabs, "the notification", shows("One for every tab"));
        // A later event, in order behind the first: once every tab has it, a repeated first would have come.
        postNotification("The one after");
        awaitEveryTab(tabs, "the second notification", shows("The one after"));
        Set<String> lastIds = new TreeSet<>();
        for (String tab : tabs) {
            browser.focus(tab);
            assertEquals(1, notifications(browser.driver()).stream().filter("One for every tab"::equals).count());
            Indicator indicator = indicator(tab);
            assertEquals(before.get(tab) + 2, indicator.events(), "events applied in tab " + tab);
            lastIds.add(indicator.lastEventId());
        }
        assertEquals(1, lastIds.size(), "every tab is at the same event: " + lastIds);
    }

    /**
     * Closing the tab that holds the stream: another takes over, resuming from the last event id it saw, so
     * an event published right after reaches every remaining tab exactly once. Ten rounds (a new tab is
     * opened after each, to stay at ten) give the time from the close to the new holder's stream being
     * connected.
     */
    @Test
    void closingTheTabThatHoldsTheStreamLeavesTheOthersLiveAndLosesNothing() throws Exception {
        server(Map.of());
        String url = "http://127.0.0.1:" + server.port() + "/";
        List<String> tabs = browser.openTabs(withKey(url), 10);
        awaitEveryTab(tabs, "live", indicator -> indicator.state().equals("live"));
        postNotification("Before any tab closed");
        awaitEveryTab(tabs, "the first notification", shows("Before any tab closed"));

        List<Long> takeovers = new ArrayList<>();
        for (int round = 1; round <= 10; round++) {
            String holder = tabs.stream().filter(tab -> indicator(tab).stream().equals("holder")).findFirst()
                    .orElseThrow(() -> new AssertionError("no tab holds the stream"));
            tabs.remove(holder);
            Map<String, Integer> before = eventsApplied(tabs);
            browser.focus(holder);
            long closed = System.currentTimeMillis();
            browser.driver().close();
            String message = "Published right after holder " + round + " closed";
            postNotification(message);

            // The followers never stopped showing "live"; the one that takes over goes through "reconnecting".
            List<Indicator> holders = new ArrayList<>();
            browser.await("another tab holds the stream and is live", WAIT, () -> {
                holders.clear();
                tabs.stream().map(this::indicator).filter(indicator -> indicator.stream().equals("holder")
                        && indicator.state().equals("live")).forEach(holders::add);
                return holders.size() == 1;
            });
            takeovers.add(holders.get(0).since() - closed);
            awaitEveryTab(tabs, message, shows(message));
            for (String tab : tabs) {
                browser.focus(tab);
                assertEquals(1, notifications(browser.driver()).stream().filter(message::equals).count(),
                        "shown once in tab " + tab);
                Indicator indicator = indicator(tab);
                assertEquals("live", indicator.state(), "tab " + tab);
                assertEquals(before.get(tab) + 1, indicator.events(), "applied once in tab " + tab);
            }
            browser.driver().switchTo().newWindow(WindowType.TAB);
            browser.driver().get(url);
            tabs.add(browser.driver().getWindowHandle());
            awaitEveryTab(tabs, "live with the new tab", indicator -> indicator.state().equals("live"));
        }
        List<Long> sorted = takeovers.stream().sorted().toList();
        double median = (sorted.get(4) + sorted.get(5)) / 2.0;
        System.out.printf("DashboardIT: a follower took over the stream %.0f ms (median of 10) after its holder's "
                + "tab closed; all: %s ms%n", median, takeovers);
        assertTrue(sorted.get(9) <= 2000, "every takeover within 2 s: " + takeovers + " ms");
    }

    /**
     * A frozen tab (the browser freezes background tabs to save power) runs nothing, so the holder lets the
     * stream go as it freezes: another tab takes over within 2 s and events go on reaching the others. Woken
     * again, the tab follows the new holder and catches up by loading its views.
     */
    @Test
    void freezingTheTabThatHoldsTheStreamHandsItOver() throws Exception {
        server(Map.of());
        List<String> tabs = browser.openTabs(withKey("http://127.0.0.1:" + server.port() + "/"), 3);
        awaitEveryTab(tabs, "live", indicator -> indicator.state().equals("live"));
        String holder = tabs.stream().filter(tab -> indicator(tab).stream().equals("holder")).findFirst()
                .orElseThrow(() -> new AssertionError("no tab holds the stream"));
        List<String> others = new ArrayList<>(tabs);
        others.remove(holder);

        browser.focus(holder);
        long frozen = System.currentTimeMillis();
        lifecycle("frozen");
        List<Indicator> holders = new ArrayList<>();
        browser.await("another tab holds the stream and is live", WAIT, () -> {
            holders.clear();
            others.stream().map(this::indicator).filter(indicator -> indicator.stream().equals("holder")
                    && indicator.state().equals("live")).forEach(holders::add);
            return holders.size() == 1;
        });
        long takeover = holders.get(0).since() - frozen;
        System.out.printf("DashboardIT: a follower took over the stream %d ms after its holder's tab froze%n", takeover);
        assertTrue(takeover <= 2000, "takeover within 2 s: " + takeover + " ms");
        postNotification("While a tab was frozen");
        awaitEveryTab(others, "the notification", shows("While a tab was frozen"));

        browser.focus(holder);
        lifecycle("active");
        awaitEveryTab(List.of(holder), "the woken tab follows and catches up",
                indicator -> indicator.state().equals("live") && indicator.stream().equals("shared")
                        && notifications(browser.driver()).contains("While a tab was frozen"));
    }

    /** Moves the current tab to a Page Lifecycle state ('frozen', 'active') as the browser would. */
    private void lifecycle(String state) {
        ((org.openqa.selenium.chrome.ChromeDriver) browser.driver()).executeCdpCommand("Page.setWebLifecycleState",
                Map.of("state", state));
    }

    /**
     * A fresh server's first stream handshake and REST answers take a second or more (classes load, code is
     * compiled, Redis scripts are loaded); a measure of how fast tabs go live should not be one of that.
     */
    private void warmUp() throws Exception {
        String views = "queue,stats,timeline,timeline_summary,storage,notifications";
        try (var stream = server.stream("/events/stream?snapshot=" + views)) {
            stream.next(event -> event.name().equals("snapshot"), WAIT);
        }
        Http.get(URI.create("http://127.0.0.1:" + server.port() + "/"));
    }

    /** What a tab's connection indicator says: state, whose stream, since when, events applied, last id. */
    private record Indicator(String state, String stream, long since, int events, String lastEventId) {
    }

    private Indicator indicator(String tab) {
        browser.focus(tab);
        List<?> values = (List<?>) script().executeScript(
                "const data = document.getElementById('connection-state').dataset;"
                + "return [data.state || '', data.stream || '', data.since || '0', data.events || '0',"
                + " data.lastEventId || ''];");
        return new Indicator((String) values.get(0), (String) values.get(1), Long.parseLong((String) values.get(2)),
                Integer.parseInt((String) values.get(3)), (String) values.get(4));
    }

    private Map<String, Integer> eventsApplied(List<String> tabs) {
        Map<String, Integer> events = new HashMap<>();
        for (String tab : tabs) {
            events.put(tab, indicator(tab).events());
        }
        return events;
    }

    /** The page's address with the key in its fragment: the page keeps it in local storage, which tabs share. */
    private static String withKey(String url) {
        return url + "#key=" + TestServer.ADMIN_KEY;
    }

    private JavascriptExecutor script() {
        return (JavascriptExecutor) browser.driver();
    }

    /** Posts a notification, published once, through the API. */
    private void postNotification(String message) throws Exception {
        server.post("/notifications", "{\"message\":\"" + message + "\",\"notificationType\":\"info\"}");
    }

    /** The tab (the driver is switched to it) lists a notification with this message. */
    private Predicate<Indicator> shows(String message) {
        return indicator -> notifications(browser.driver()).contains(message);
    }

    /** Waits until {@code condition} holds in every tab (each checked with the driver switched to it). */
    private void awaitEveryTab(List<String> tabs, String what, Predicate<Indicator> condition) {
        browser.await("every tab: " + what, WAIT, () -> tabs.stream().allMatch(tab -> condition.test(indicator(tab))));
    }

    private static String refreshToken(String session) {
        return session.replaceFirst(".*\"refreshToken\":\"([^\"]+)\".*", "$1");
    }

    private static void signIn(WebDriver page, String username, String password) {
        WebElement name = page.findElement(By.id("sign-in-username"));
        name.clear();
        name.sendKeys(username);
        WebElement secret = page.findElement(By.id("sign-in-password"));
        secret.clear();
        secret.sendKeys(password);
        page.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
    }

    private static String signInError(WebDriver page) {
        return page.findElement(By.id("sign-in-error")).getText().trim();
    }

    /** The message of every notification on the page. */
    private static List<String> notifications(WebDriver page) {
        List<String> messages = new ArrayList<>();
        for (WebElement item : page.findElements(By.cssSelector("#notifications li.notification"))) {
            List<WebElement> message = item.findElements(By.cssSelector(".notification-message, .message"));
            messages.add((message.isEmpty() ? item : message.get(0)).getText().trim());
        }
        return messages;
    }
}
