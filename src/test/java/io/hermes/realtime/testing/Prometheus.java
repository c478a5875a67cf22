package io.hermes.realtime.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code prometheus} process (Debian's package, 2.42 in CI) on a free loopback port, with its data in a
 * directory of the test's and a configuration written here: one job, {@code hermes}, scraping the given
 * targets' {@code /metrics} every second with a Bearer key, rules evaluated every second. Never the package's
 * service. {@link #close} kills it and waits for it.
 */
public final class Prometheus implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private Prometheus(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The first executable {@code name} on PATH ({@code prometheus}, {@code promtool}), or skips the test. */
    public static Path binaryOrSkip(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        Skip.because("needs " + name + " on PATH (Debian: apt-get install prometheus, as .ci/run does); none found");
        return null;
    }

    /**
     * Starts Prometheus scraping {@code targets} ({@code host:port}) with {@code bearer} and evaluating the
     * rule files given, and returns once it answers {@code /-/ready}.
     */
    public static Prometheus start(Path home, List<String> targets, String bearer, List<Path> ruleFiles)
            throws IOException, InterruptedException {
        Path binary = binaryOrSkip("prometheus");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        StringBuilder config = new StringBuilder()
                .append("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n")
                .append("rule_files:\n");
        for (Path rules : ruleFiles) {
            config.append("  - '").append(rules.toAbsolutePath()).append("'\n");
        }
        config.append("scrape_configs:\n  - job_name: hermes\n    metrics_path: /metrics\n")
                .append("    authorization:\n      type: Bearer\n      credentials: '").append(bearer).append("'\n")
                .append("    static_configs:\n      - targets: [");
        for (int i = 0; i < targets.size(); i++) {
            config.append(i == 0 ? "" : ", ").append('\'').append(targets.get(i)).append('\'');
        }
        config.append("]\n");
        Path configFile = home.resolve("prometheus.yml");
        Files.writeString(configFile, config);
        Path log = home.resolve("prometheus.log");
        ProcessBuilder builder = new ProcessBuilder(binary.toString(),
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + home.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--web.console.templates=" + home.resolve("consoles"), // the package's defaults may be absent
                "--web.console.libraries=" + home.resolve("console_libraries"));
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Prometheus prometheus = new Prometheus(builder.start(), port, log);
        try {
            Await.until(Duration.ofSeconds(30), prometheus::ready, "Prometheus answers /-/ready; its log: " + log);
        } catch (RuntimeException | Error | InterruptedException failed) {
            prometheus.close();
            throw new AssertionError("Prometheus did not start: " + prometheus.log(), failed);
        }
        return prometheus;
    }

    private boolean ready() throws InterruptedException {
        if (!process.isAlive()) {
            throw new AssertionError("Prometheus exited: " + log());
        }
        try {
            return Http.get(uri("/-/ready")).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** The answer of {@code /api/v1/query} for {@code promql}, evaluated now: its whole JSON. */
    public JsonNode query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = Http.get(uri("/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
        return Events.json(response.body());
    }

    /** The scalar value of the first sample {@code promql} returns, or NaN when it returns none. */
    public double value(String promql) throws IOException, InterruptedException {
        JsonNode result = query(promql).path("data").path("result");
        if (!result.isArray() || result.isEmpty()) {
            return Double.NaN;
        }
        return Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    /** {@code /api/v1/alerts}: every pending and firing alert. */
    public JsonNode alerts() throws IOException, InterruptedException {
        return Events.json(Http.get(uri("/api/v1/alerts")).body()).path("data").path("alerts");
    }

    /** The state of alert {@code name} ({@code pending} or {@code firing}), or {@code inactive} when it is not listed. */
    public String alertState(String name) throws IOException, InterruptedException {
        for (JsonNode alert : alerts()) {
            if (alert.path("labels").path("alertname").asText().equals(name)) {
                return alert.path("state").asText();
            }
        }
        return "inactive";
    }

    /** {@code /api/v1/rules}: the rule groups, with each one's last evaluation. */
    public JsonNode ruleGroups() throws IOException, InterruptedException {
        return Events.json(Http.get(uri("/api/v1/rules")).body()).path("data").path("groups");
    }

    /** What Prometheus has logged so far. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            return "(no log: " + unreadable + ")";
        }
    }

    /** Stops Prometheus (SIGTERM, then SIGKILL after 10 s) and waits for it to exit. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
