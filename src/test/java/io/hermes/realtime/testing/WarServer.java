package io.hermes.realtime.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
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
}
