package io.hermes.realtime.testing;

import io.hermes.realtime.app.HermesApplication;
import io.hermes.realtime.app.Settings;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.Host;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleEvent;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.loader.WebappLoader;
import org.apache.catalina.startup.ContextConfig;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * The WAR deployed as the ROOT context of an embedded Tomcat 10.1 on a free loopback port, with settings
 * given by the test instead of the environment, and the host's error settings from {@code deploy/tomcat}
 * ({@link DeploySettings}): the twin of {@link TestServer}, so the same checks run on both containers. Two
 * ways to deploy:
 *
 * <ul>
 *   <li>{@link #start}: {@code webapp/} with its {@code WEB-INF/web.xml}, the classes taken from the test
 *       class path through the webapp loader's parent (delegation first), as {@link TestServer} does;
 *   <li>{@link #startPackagedWar}: the packaged WAR itself, its classes and libraries defined by the webapp
 *       class loader, as on an installed Tomcat.
 * </ul>
 *
 * Either way the webapp class loader is the context class loader of every thread the application starts.
 */
public final class TomcatTestServer implements WarServer {
    private static final Path WEBAPP = Path.of("webapp").toAbsolutePath();

    private final Tomcat tomcat;
    private final Connector connector;
    private final Path baseDir;
    private final Path docBase;
    private final boolean packaged;
    private final Map<String, String> settings;
    private Context context;

    private TomcatTestServer(Tomcat tomcat, Connector connector, Path baseDir, Path docBase, boolean packaged,
            Map<String, String> settings) {
        this.tomcat = tomcat;
        this.connector = connector;
        this.baseDir = baseDir;
        this.docBase = docBase;
        this.packaged = packaged;
        this.settings = settings;
    }

    /**
     * Starts against {@code redis} with the given settings on top of the defaults, {@code webapp/} deployed
     * with the application's classes taken from the test class path.
     */
    public static TomcatTestServer start(TestRedis redis, Map<String, String> overrides) throws Exception {
        return start(redis, overrides, WEBAPP, false);
    }

    public static TomcatTestServer start(Map<String, String> overrides) throws Exception {
        return start(TestRedis.shared(), overrides);
    }

    /**
     * Starts with the packaged WAR ({@code target/hermes-realtime-*.war}, built by {@code package} before
     * the integration tests) deployed as it is, its classes and libraries loaded by the webapp class loader
     * itself (Tomcat's default, child first), as on a real Tomcat. Tomcat's checks for ThreadLocals, static
     * references and the like only see classes that loader defined, so leak tests want this one.
     */
    public static TomcatTestServer startPackagedWar(TestRedis redis, Map<String, String> overrides) throws Exception {
        return start(redis, overrides, packagedWar(), true);
    }

    private static TomcatTestServer start(TestRedis redis, Map<String, String> overrides, Path docBase, boolean packaged)
            throws Exception {
        Map<String, String> values = new HashMap<>();
        values.put(Settings.REDIS_URL, redis.url().toString());
        values.put(Settings.API_KEYS, TestServer.ADMIN_KEY);
        values.putAll(overrides);
        Settings.parse(values); // a bad value fails here, with the variable's name, rather than in Tomcat's log

        Path baseDir = Files.createTempDirectory("hermes-tomcat-");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Host host = tomcat.getHost();
        host.setAutoDeploy(false);
        ((StandardHost) host).setDeployOnStartup(false);
        Files.createDirectories(baseDir.resolve(host.getAppBase())); // where Tomcat expands a WAR
        // No background processing (reloading, session expiry, cache trimming): none is needed here, and its
        // thread runs with a context's class loader while it visits it, which Tomcat's leak check at
        // undeploy would report as ours whenever the two coincide.
        tomcat.getEngine().setBackgroundProcessorDelay(-1);
        DeploySettings.applyTo((StandardHost) host);

        TomcatTestServer server = new TomcatTestServer(tomcat, connector, baseDir, docBase, packaged, Map.copyOf(values));
        try {
            tomcat.start();
            server.deploy();
        } catch (Exception | Error failed) {
            server.close();
            throw failed;
        }
        return server;
    }

    /**
     * Deploys the web application as the ROOT context, as Tomcat deploys a WAR; fails if the application did
     * not start (Tomcat itself would only log that and leave the context stopped).
     */
    public void deploy() {
        if (context != null) {
            throw new IllegalStateException("already deployed");
        }
        Context webapp = tomcat.addWebapp(tomcat.getHost(), "", docBase.toString(), new ConfiguringContextConfig());
        if (webapp.getState() != LifecycleState.STARTED) {
            tomcat.getHost().removeChild(webapp);
            throw new IllegalStateException("the web application did not start on Tomcat; see its log above");
        }
        context = webapp;
    }

    /**
     * Undeploys the ROOT context as Tomcat's host does for a removed WAR: stops it (the application's
     * {@code contextDestroyed}, then the class loader's leak checks) and removes it from the host, after
     * which nothing of ours refers to it.
     */
    public void undeploy() throws Exception {
        Context deployed = context;
        if (deployed == null) {
            return;
        }
        context = null;
        deployed.stop();
        tomcat.getHost().removeChild(deployed);
    }

    /** The deployed context's class loader, held weakly so that tests can still see it collected. */
    public WeakReference<ClassLoader> webappClassLoader() {
        if (context == null) {
            throw new IllegalStateException("not deployed");
        }
        return new WeakReference<>(context.getLoader().getClassLoader());
    }

    /** The host, whose memory leak tracking covers every context deployed on it. */
    public StandardHost host() {
        return (StandardHost) tomcat.getHost();
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** An API URL: {@code path} is relative to {@code /api/v1}. */
    public URI api(String path) {
        return URI.create("http://127.0.0.1:" + port() + HermesApplication.API + path);
    }

    /** Opens a stream as the admin, unless {@code headers} carry their own Authorization. */
    public SseTestClient stream(String path, Map<String, String> headers) throws IOException {
        Map<String, String> all = new HashMap<>(headers);
        all.putIfAbsent("Authorization", "Bearer " + TestServer.ADMIN_KEY);
        return SseTestClient.open(api(path), all);
    }

    public SseTestClient stream(String path) throws IOException {
        return stream(path, Map.of());
    }

    /** The application's stream compression slots: how many deflaters are alive. */
    public io.hermes.realtime.stream.CompressionSlots compression() {
        return (io.hermes.realtime.stream.CompressionSlots) context.getServletContext()
                .getAttribute(HermesApplication.COMPRESSION_ATTRIBUTE);
    }

    /** GET as the admin. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return Http.get(api(path), TestServer.ADMIN_KEY);
    }

    /** POST JSON as the admin. */
    public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return Http.postJson(api(path), json, TestServer.ADMIN_KEY);
    }

    /** Undeploys (so open streams end cleanly first), then stops Tomcat and deletes its base directory. */
    @Override
    public void close() throws Exception {
        try {
            undeploy();
            tomcat.stop();
            tomcat.destroy();
        } finally {
            deleteRecursively(baseDir);
        }
    }

    /** What {@link Tomcat#addWebapp} leaves to configure, before the context starts. */
    private void configure(Context webapp) {
        if (!packaged) {
            // webapp/ has no WEB-INF/classes: the classes come from the class path the tests run on.
            WebappLoader loader = new WebappLoader();
            loader.setDelegate(true);
            webapp.setLoader(loader);
        }
        // Nothing to find on the class path: web.xml is metadata-complete. Scanning it would read every jar
        // of the test class path at each deployment; the WAR's own WEB-INF/lib is still looked at.
        StandardJarScanner scanner = new StandardJarScanner();
        scanner.setScanClassPath(false);
        scanner.setScanManifest(false);
        webapp.setJarScanner(scanner);
        // Runs before any listener, at every start, so HermesApplication.contextInitialized finds it.
        webapp.addServletContainerInitializer((classes, servletContext) -> servletContext.setAttribute(
                HermesApplication.SETTINGS_ATTRIBUTE, settingsFor(servletContext.getClassLoader())), null);
    }

    /**
     * The settings as the application's own {@code Settings} type: when the WAR's classes are the webapp
     * loader's, the test's {@code Settings} is another class to it, so they are parsed through that loader.
     */
    private Object settingsFor(ClassLoader webappLoader) throws ServletException {
        if (!packaged) {
            return Settings.parse(settings);
        }
        try {
            return Class.forName(Settings.class.getName(), true, webappLoader).getMethod("parse", Map.class)
                    .invoke(null, settings);
        } catch (ReflectiveOperationException failed) {
            throw new ServletException("could not parse the settings with the WAR's Settings class", failed);
        }
    }

    private static Path packagedWar() throws IOException {
        try (DirectoryStream<Path> wars = Files.newDirectoryStream(Path.of("target"), "hermes-realtime-*.war")) {
            for (Path war : wars) {
                return war.toAbsolutePath();
            }
        }
        throw new IllegalStateException("no WAR in target/: integration tests run after `package`");
    }

    /** Tomcat's own web.xml processing, with {@link #configure} applied first, before the context starts. */
    private final class ConfiguringContextConfig extends ContextConfig {
        @Override
        public void lifecycleEvent(LifecycleEvent event) {
            if (Lifecycle.BEFORE_INIT_EVENT.equals(event.getType())) {
                configure((Context) event.getLifecycle());
            }
            super.lifecycleEvent(event);
            if (Lifecycle.CONFIGURE_START_EVENT.equals(event.getType())) {
                withoutJsp((Context) event.getLifecycle());
            }
        }
    }

    /**
     * Tomcat's defaults (static files, MIME types, welcome files) include a JSP servlet, which a real Tomcat
     * has and this class path does not (no Jasper): it would only log a failed load at every start.
     */
    private static void withoutJsp(Context webapp) {
        Container jsp = webapp.findChild("jsp");
        if (jsp != null) {
            webapp.removeChild(jsp);
        }
        webapp.removeServletMapping("*.jsp");
        webapp.removeServletMapping("*.jspx");
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException failed) {
                    throw new UncheckedIOException(failed);
                }
            });
        }
    }
}
