package io.hermes.realtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Prometheus;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped alerting rules and Grafana dashboard against a real Prometheus that scrapes a running server
 * every second. The rules are loaded from a copy of {@code deploy/prometheus/hermes-rules.yml} whose every
 * {@code for:} is rewritten to {@value #TEST_FOR}, so that an alert fires within seconds instead of the
 * minutes a deployment waits; the expressions are the shipped ones, unchanged.
 */
class PrometheusIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** What every {@code for:} of the rules becomes in the test's copy. */
    private static final String TEST_FOR = "3s";
    private static final int MAX_STREAMS = 20;
    private static final String NEAR_LIMIT = "HermesStreamsNearLimit";
    private static final Path RULES = Path.of("deploy/prometheus/hermes-rules.yml");
    private static final Path DASHBOARD = Path.of("deploy/grafana/hermes-realtime.json");

    @TempDir
    static Path home;
    private static TestServer server;
    private static Prometheus prometheus;

    @BeforeAll
    static void start() throws Exception {
        Prometheus.binaryOrSkip("prometheus");
        TestRedis.shared().flush();
        server = TestServer.start(Map.of(Settings.MAX_CONNECTIONS, Integer.toString(MAX_STREAMS),
                Settings.HEARTBEAT_INTERVAL, "1", Settings.CANARY_INTERVAL, "1", Settings.REDIS_MEMORY_INTERVAL, "1"));
        Path rules = home.resolve("hermes-rules.yml");
        String shipped = Files.readString(RULES);
        String quick = Pattern.compile("^(\\s*)for: \\S+$", Pattern.MULTILINE).matcher(shipped)
                .replaceAll("$1for: " + TEST_FOR);
        assertTrue(quick.contains("for: " + TEST_FOR), "the rules have for: durations to rewrite");
        Files.writeString(rules, quick);
        prometheus = Prometheus.start(home, List.of("127.0.0.1:" + server.port()), TestServer.ADMIN_KEY, List.of(rules));
        Await.until(WAIT, () -> prometheus.value("up{job=\"hermes\"}"), up -> up == 1,
                "Prometheus scrapes the server");
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void openStreamsAbove90PercentFireTheAlertAndClosingThemResolvesIt() throws Exception {
        List<SseTestClient> streams = new ArrayList<>();
        try {
            int atNinety = MAX_STREAMS * 9 / 10;
            for (int i = 0; i < atNinety; i++) {
                streams.add(open());
            }
            // Exactly 90 % is not above it: once Prometheus has seen 18 open streams and evaluated the rules for
            // longer than the test's for:, the alert is still not even pending.
            Await.until(WAIT, () -> prometheus.value("sum(hermes_sse_open_streams)"), open -> open == atNinety,
                    "Prometheus sees " + atNinety + " open streams");
            Instant seen = Instant.now();
            Await.until(WAIT, () -> lastEvaluation("hermes-capacity").isAfter(seen.plusSeconds(4)),
                    "the capacity rules evaluated for 4 s more");
            assertEquals("inactive", prometheus.alertState(NEAR_LIMIT), "at exactly 90 %");

            streams.add(open());
            long crossed = System.nanoTime();
            double[] pendingAfter = {Double.NaN};
            Await.until(WAIT, () -> {
                String state = prometheus.alertState(NEAR_LIMIT);
                if (state.equals("pending") && Double.isNaN(pendingAfter[0])) {
                    pendingAfter[0] = (System.nanoTime() - crossed) / 1e9;
                }
                return state;
            }, "firing"::equals, NEAR_LIMIT + " fires once " + streams.size() + " of " + MAX_STREAMS + " streams are open");
            double firingAfter = (System.nanoTime() - crossed) / 1e9;
            System.out.printf(Locale.ROOT, "PrometheusIT: %d of %d streams open; %s pending after %.2f s, firing %.2f s"
                    + " after crossing 90 %% (scrape and evaluation every 1 s, for: %s)%n", streams.size(), MAX_STREAMS,
                    NEAR_LIMIT, pendingAfter[0], firingAfter, TEST_FOR);
            JsonNode alert = firing(NEAR_LIMIT);
            assertEquals("warning", alert.path("labels").path("severity").asText());
            assertEquals("127.0.0.1:" + server.port(), alert.path("labels").path("instance").asText());
            assertFalse(alert.path("annotations").path("description").asText().isBlank());

            for (SseTestClient stream : streams) {
                stream.close();
            }
            long closed = System.nanoTime();
            server.awaitActiveStreams(0, WAIT);
            Await.until(WAIT, () -> prometheus.alertState(NEAR_LIMIT), "inactive"::equals,
                    NEAR_LIMIT + " resolves once the streams are closed");
            System.out.printf(Locale.ROOT, "PrometheusIT: %s resolved %.2f s after the streams were closed%n",
                    NEAR_LIMIT, (System.nanoTime() - closed) / 1e9);
        } finally {
            for (SseTestClient stream : streams) {
                stream.close();
            }
        }
    }

    @Test
    void everyQueryOfTheDashboardEvaluatesWithoutError() throws Exception {
        JsonNode dashboard = Events.json(Files.readString(DASHBOARD));
        assertTrue(hasVariable(dashboard, "instance"), "the dashboard has an instance variable");
        Map<String, String> queries = new LinkedHashMap<>();
        int rows = 0;
        for (JsonNode panel : panels(dashboard)) {
            if (panel.path("type").asText().equals("row")) {
                rows++;
                continue;
            }
            String title = panel.path("title").asText();
            assertFalse(panel.path("fieldConfig").path("defaults").path("unit").asText().isBlank(),
                    "panel '" + title + "' has a unit");
            assertFalse(panel.path("targets").isEmpty(), "panel '" + title + "' has queries");
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                assertFalse(expr.isBlank(), "panel '" + title + "' has an expression");
                queries.put(title + " [" + target.path("refId").asText() + "]", expr);
            }
        }
        assertTrue(rows >= 4, "one row per concern; found " + rows);

        // Data to look at: a stream that opened and closed, so that every histogram has observations.
        SseTestClient stream = open();
        stream.close();
        Await.until(WAIT, () -> prometheus.value("sum(hermes_sse_stream_duration_seconds_count)"), count -> count >= 1,
                "Prometheus has scraped a stream's duration");

        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, String> query : queries.entrySet()) {
            String promql = substitute(query.getValue());
            JsonNode answer = prometheus.query(promql);
            if (!answer.path("status").asText().equals("success")) {
                failures.add(query.getKey() + ": " + promql + " → " + answer);
            }
        }
        assertEquals(List.of(), failures, "dashboard queries that Prometheus refused");
        System.out.printf(Locale.ROOT, "PrometheusIT: %d dashboard queries in %d rows evaluated%n", queries.size(), rows);
    }

    @Test
    void everyMetricTheRulesAndTheDashboardNameIsScraped() throws Exception {
        // A misspelt metric name is no error to Prometheus, only an empty answer: so each name must exist.
        java.util.Set<String> names = new java.util.TreeSet<>();
        java.util.regex.Matcher found = Pattern.compile("\\bhermes_[a-z_]+\\b")
                .matcher(Files.readString(RULES) + Files.readString(DASHBOARD));
        while (found.find()) {
            names.add(found.group());
        }
        assertTrue(names.size() > 15, "names found: " + names);
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            // Every series is registered at start, so the first scrape (awaited before the tests) has them all.
            if (!(prometheus.value("count({__name__=\"" + name + "\"})") > 0)) {
                missing.add(name);
            }
        }
        assertEquals(List.of(), missing, "metrics the rules or the dashboard use that the server does not export");
    }

    /** Grafana's variables as Grafana would fill them in for this one instance. */
    private static String substitute(String expr) {
        return expr.replace("${instance}", "127.0.0.1:" + server.port())
                .replace("$instance", "127.0.0.1:" + server.port())
                .replace("${job}", "hermes").replace("$job", "hermes")
                .replace("$__rate_interval", "1m").replace("${__rate_interval}", "1m")
                .replace("$__interval", "15s").replace("${__interval}", "15s")
                .replace("$__range", "1h").replace("${__range}", "1h");
    }

    /** Every panel, those inside collapsed rows included. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            all.add(panel);
            for (JsonNode inner : panel.path("panels")) {
                all.add(inner);
            }
        }
        return all;
    }

    private static boolean hasVariable(JsonNode dashboard, String name) {
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("name").asText().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static SseTestClient open() throws Exception {
        SseTestClient stream = server.stream("/events/queue");
        stream.awaitConnected(WAIT);
        return stream;
    }

    private static JsonNode firing(String name) throws Exception {
        for (JsonNode alert : prometheus.alerts()) {
            if (alert.path("labels").path("alertname").asText().equals(name)) {
                return alert;
            }
        }
        throw new AssertionError(name + " is not listed: " + prometheus.alerts());
    }

    /** When Prometheus last evaluated the rule group {@code name}. */
    private static Instant lastEvaluation(String name) throws Exception {
        for (JsonNode group : prometheus.ruleGroups()) {
            if (group.path("name").asText().equals(name)) {
                return Instant.parse(group.path("lastEvaluation").asText());
            }
        }
        throw new AssertionError("no rule group " + name);
    }
}
