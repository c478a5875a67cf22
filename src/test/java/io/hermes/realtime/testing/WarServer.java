package io.hermes.realtime.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The WAR running in one of the two containers we support, so that a test can run the same checks on
 * Jetty ({@link TestServer}) and Tomcat ({@link TomcatTestServer}): pass {@code "jetty"} or {@code "tomcat"}.
 */
public interface WarServer extends AutoCloseable {
    /** Starts the WAR in {@code container} ({@code jetty} or {@code tomcat}) against the shared Redis. */
    static WarServer start(String container, Map<String, String> overrides) throws Exception {
        return switch (container) {
            case "jetty" -> TestServer.start(overrides);
            case "tomcat" -> TomcatTestServer.start(overrides);
            default -> throw new IllegalArgumentException("unknown container " + container + ": use jetty or tomcat");
        };
    }

    int port();

    /** An API URL: {@code path} is relative to {@code /api/v1}. */
    URI api(String path);

    /** Opens a stream as the admin. */
    SseTestClient stream(String path) throws IOException;

    /** GET as the admin. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException;

    /** POST JSON as the admin. */
    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException;

    /** The download API as the admin. */
    default Downloads downloads() {
        return downloads(TestServer.ADMIN_KEY);
    }

    /** The download API under {@code key}. */
    default Downloads downloads(String key) {
        return new Downloads(this::api, key);
    }

    /** Streams open on this instance, as {@code /events/health} reports them. */
    default int activeStreams() throws IOException, InterruptedException {
        return Events.json(Http.get(api("/events/health")).body()).path("active_connections").asInt();
    }

    /**
     * Polls {@code /events/health} until {@code expected} streams are open; returns how long that took.
     *
     * @throws AssertionError after {@code timeout}
     */
    default Duration awaitActiveStreams(int expected, Duration timeout) throws IOException, InterruptedException {
        long started = System.nanoTime();
        Await.until(timeout, this::activeStreams, active -> active == expected, expected + " open streams");
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
