package io.hermes.realtime.testing;

import io.hermes.realtime.app.HermesApplication;
import io.hermes.realtime.app.Settings;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * The real WAR wiring ({@code webapp/WEB-INF/web.xml} and its listener) in an embedded Jetty 12 on a
 * free port, with settings given by the test instead of the environment, and the error settings that
 * {@code deploy/jetty} gives a real Jetty ({@link DeploySettings}).
 */
public final class TestServer implements WarServer {
    /** The admin key every test server is configured with ({@code HERMES_API_KEYS}). */
    public static final String ADMIN_KEY = "test-admin-key-0123456789abcdefghijklmnop";

    private final Server server;
    private final WebAppContext webapp;
    private final ServerConnector connector;

    private TestServer(Server server, WebAppContext webapp, ServerConnector connector) {
        this.server = server;
        this.webapp = webapp;
        this.connector = connector;
    }

    /** Starts against {@code redis} with the given settings on top of the defaults. */
    public static TestServer start(TestRedis redis, Map<String, String> overrides) throws Exception {
        return start(redis, overrides, null);
    }

    /** As {@link #start(TestRedis, Map)}, with {@code clock} (when not null) in place of the system's. */
    public static TestServer start(TestRedis redis, Map<String, String> overrides, java.time.Clock clock)
            throws Exception {
        return start(redis, overrides, clock, null);
    }

    /**
     * As {@link #start(TestRedis, Map, java.time.Clock)}, also serving the files of {@code pages} (when not null)
     * beside the WAR's own, from the same origin: a test's page written as another product's client would be.
     */
    public static TestServer start(TestRedis redis, Map<String, String> overrides, java.time.Clock clock, Path pages)
            throws Exception {
        Map<String, String> values = new HashMap<>();
        values.put(Settings.REDIS_URL, redis.url().toString());
        values.put(Settings.API_KEYS, ADMIN_KEY);
        values.putAll(overrides);
        Settings settings = Settings.parse(values);

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        if (pages == null) {
            webapp.setBaseResourceAsPath(Path.of("webapp").toAbsolutePath());
        } else {
            ResourceFactory resources = ResourceFactory.of(server);
            webapp.setBaseResource(ResourceFactory.combine(resources.newResource(Path.of("webapp").toAbsolutePath()),
                    resources.newResource(pages.toAbsolutePath())));
        }
        webapp.setParentLoaderPriority(true);
        webapp.setAttribute(HermesApplication.SETTINGS_ATTRIBUTE, settings);
        if (clock != null) {
            webapp.setAttribute(HermesApplication.CLOCK_ATTRIBUTE, clock);
        }
        webapp.setThrowUnavailableOnStartupException(true);
        server.setHandler(webapp);
        HttpConfiguration http = connector.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration();
        DeploySettings.applyTo(server, http);
        server.setStopTimeout(5000);
        server.start();
        return new TestServer(server, webapp, connector);
    }

    public static TestServer start(Map<String, String> overrides) throws Exception {
        return start(TestRedis.shared(), overrides);
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** An API URL: {@code path} is relative to {@code /api/v1}. */
    public URI api(String path) {
        return URI.create("http://127.0.0.1:" + port() + HermesApplication.API + path);
    }

    /** Opens a stream as the admin, unless {@code headers} carry their own Authorization. */
    public SseTestClient stream(String path, Map<String, String> headers) throws java.io.IOException {
        Map<String, String> all = new HashMap<>(headers);
        all.putIfAbsent("Authorization", "Bearer " + ADMIN_KEY);
        return SseTestClient.open(api(path), all);
    }

    public SseTestClient stream(String path) throws java.io.IOException {
        return stream(path, Map.of());
    }

    /** GET as the admin. */
    public java.net.http.HttpResponse<String> get(String path) throws java.io.IOException, InterruptedException {
        return Http.get(api(path), ADMIN_KEY);
    }

    /** POST JSON as the admin. */
    public java.net.http.HttpResponse<String> post(String path, String json) throws java.io.IOException, InterruptedException {
        return Http.postJson(api(path), json, ADMIN_KEY);
    }

    /** The application's stream compression slots: how many deflaters are alive, even after undeploying. */
    public io.hermes.realtime.stream.CompressionSlots compression() {
        return (io.hermes.realtime.stream.CompressionSlots) webapp.getServletContext()
                .getAttribute(HermesApplication.COMPRESSION_ATTRIBUTE);
    }

    /** TCP connections the container holds open on its connector, streams or not. */
    public int openSockets() {
        return connector.getConnectedEndPoints().size();
    }

    /** Stops the web application only, as a container does when it undeploys a WAR. */
    public void undeploy() throws Exception {
        webapp.stop();
    }

    /**
     * Undeploys, then stops the server. Undeploying first is what lets open streams end cleanly: Jetty's
     * own graceful stop would otherwise wait for those never-ending requests before destroying the context.
     */
    @Override
    public void close() throws Exception {
        if (webapp.isStarted()) {
            webapp.stop();
        }
        server.stop();
    }
}
