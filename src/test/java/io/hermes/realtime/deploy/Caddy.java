package io.hermes.realtime.deploy;

import io.hermes.realtime.app.HermesApplication;
import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.Skip;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestServer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real {@code caddy run} process serving the project's own top-level {@code Caddyfile}, configured only
 * through the environment variables that file reads: the site is {@code :PORT} on a free port (or, for
 * HTTPS, {@code https://127.0.0.1:PORT} with Caddy's internal CA), the upstream a test server, the admin
 * endpoint off. Caddy's data and config go to a directory of the test's.
 */
final class Caddy implements AutoCloseable {
    /** The file under test: the one deployments use, not a copy. */
    static final Path CADDYFILE = Path.of("Caddyfile");

    private final Process process;
    private final int port;
    private final Path log;
    private final String scheme;
    /** Where Caddy's internal CA keeps its root certificate, under XDG_DATA_HOME. */
    private final Path rootCertificate;
    private HttpClient client;

    private Caddy(Process process, int port, Path log, String scheme, Path rootCertificate) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.scheme = scheme;
        this.rootCertificate = rootCertificate;
    }

    /** Where {@code .ci/run} puts the current release, taken from Debian unstable. */
    static final Path CURRENT_DEFAULT = Path.of("/opt/caddy-current/caddy");

    /**
     * Debian 12's caddy (2.6): the first {@code caddy} on PATH. Skips the calling test, with a message saying
     * what is missing, when there is none.
     */
    static Path debianOrSkip() {
        Path found = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "caddy");
            if (Files.isExecutable(candidate)) {
                found = candidate;
                break;
            }
        }
        Skip.unless(found != null,
                "Caddy tests need a caddy binary on PATH (apt-get install caddy, as .ci/run does); none found");
        return found;
    }

    /**
     * The current Caddy release: {@code HERMES_CADDY_CURRENT} when set, else {@link #CURRENT_DEFAULT}. Skips
     * the calling test, with a message, when it is not there.
     */
    static Path currentOrSkip() {
        String configured = System.getenv("HERMES_CADDY_CURRENT");
        Path binary = configured == null || configured.isBlank() ? CURRENT_DEFAULT : Path.of(configured);
        Skip.unless(Files.isExecutable(binary),
                "Tests of the current Caddy need its binary at " + binary
                        + " (.ci/run extracts it from Debian unstable's caddy package; HERMES_CADDY_CURRENT names another)");
        return binary;
    }

    /**
     * Starts Caddy in front of {@code upstreamPort} and returns once it proxies {@code /api/v1/health}
     * with a 200, or fails with Caddy's log if it exits or does not get there within 20 s.
     */
    static Caddy start(Path binary, int upstreamPort, Path home) throws IOException, InterruptedException {
        int port = freePort();
        return start(binary, upstreamPort, home, port, Map.of("HERMES_SITE", ":" + port));
    }

    /**
     * As {@link #start}, but serving HTTPS (HTTP/2 and HTTP/1.1) at {@code https://127.0.0.1:PORT} with a
     * certificate from Caddy's internal CA, as the Caddyfile's LAN variant does, and its http-to-https
     * redirect on another free port. {@link #http()} trusts that CA's root certificate.
     */
    static Caddy startHttps(Path binary, int upstreamPort, Path home) throws IOException, InterruptedException {
        int port = freePort();
        return start(binary, upstreamPort, home, port, Map.of("HERMES_SITE", "https://127.0.0.1:" + port,
                "HERMES_CERTS", "internal", "HERMES_HTTP_PORT", String.valueOf(freePort())));
    }

    private static Caddy start(Path binary, int upstreamPort, Path home, int port, Map<String, String> site)
            throws IOException, InterruptedException {
        Path log = home.resolve("caddy.log");
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "run",
                "--config", CADDYFILE.toAbsolutePath().toString(), "--adapter", "caddyfile");
        Map<String, String> env = builder.environment();
        env.putAll(site);
        env.put("HERMES_UPSTREAM", "127.0.0.1:" + upstreamPort);
        env.put("HERMES_CADDY_ADMIN", "off");
        env.put("HOME", home.toString());
        env.put("XDG_DATA_HOME", home.resolve("data").toString());
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        String scheme = site.get("HERMES_SITE").startsWith("https://") ? "https" : "http";
        Path root = home.resolve("data/caddy/pki/authorities/local/root.crt");
        Caddy caddy = new Caddy(builder.start(), port, log, scheme, root);
        try {
            caddy.awaitProxying(Duration.ofSeconds(20));
        } catch (RuntimeException | Error | InterruptedException failed) {
            caddy.close();
            throw failed;
        }
        return caddy;
    }

    int port() {
        return port;
    }

    /** An API URL through Caddy: {@code path} is relative to {@code /api/v1}. */
    URI api(String path) {
        return root(HermesApplication.API + path);
    }

    URI root(String path) {
        return URI.create(scheme + "://127.0.0.1:" + port + path);
    }

    /**
     * A client for this Caddy: for HTTPS one that trusts only Caddy's internal CA and prefers HTTP/2 (the
     * root certificate exists once Caddy has started, which {@link #start} waits for).
     */
    synchronized HttpClient http() {
        if (client == null) {
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
            if (scheme.equals("https")) {
                builder.sslContext(trusting(rootCertificate)).version(HttpClient.Version.HTTP_2);
            }
            client = builder.build();
        }
        return client;
    }

    private static SSLContext trusting(Path certificate) {
        try (InputStream in = Files.newInputStream(certificate)) {
            KeyStore roots = KeyStore.getInstance(KeyStore.getDefaultType());
            roots.load(null, null);
            roots.setCertificateEntry("caddy-local", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(roots);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException failed) {
            throw new IllegalStateException("Caddy's root certificate " + certificate + " is not usable", failed);
        }
    }

    /** Opens a stream through Caddy as the admin; {@code headers} are added to the request. */
    SseTestClient stream(String path, Map<String, String> headers) throws IOException {
        Map<String, String> all = new HashMap<>(headers);
        all.putIfAbsent("Authorization", "Bearer " + TestServer.ADMIN_KEY);
        return SseTestClient.open(api(path), all);
    }

    /** What Caddy has printed so far. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            return "(no log: " + unreadable + ")";
        }
    }

    /** Stops Caddy (SIGTERM, then SIGKILL if it is still there after 20 s) and waits for it to exit. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        // The Caddyfile's grace_period (10 s) bounds how long open streams can hold the stop up.
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private void awaitProxying(Duration timeout) throws InterruptedException {
        String last = Await.atMost(timeout, this::healthAnswer, answer -> answer.startsWith("status 200:"));
        if (!last.startsWith("status 200:")) {
            throw new AssertionError("caddy did not proxy /api/v1/health within " + timeout + " (" + last + "):\n"
                    + log());
        }
    }

    /** What {@code /api/v1/health} answers through Caddy, or why nothing does yet; fails if Caddy has exited. */
    private String healthAnswer() throws InterruptedException {
        if (!process.isAlive()) {
            throw new AssertionError("caddy exited with " + process.exitValue() + ":\n" + log());
        }
        if (scheme.equals("https") && !Files.exists(rootCertificate)) {
            return "no root certificate yet at " + rootCertificate;
        }
        HttpClient http;
        try {
            http = http();
        } catch (IllegalStateException halfWritten) {
            return halfWritten.getMessage();
        }
        try {
            HttpResponse<String> answer = http.send(Http.request(api("/health"), null).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return "status " + answer.statusCode() + ": " + answer.body();
        } catch (IOException notYet) {
            return notYet.toString();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }
}
