package io.hermes.realtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.SseEvent;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestPublisher;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TomcatTestServer;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;
import java.lang.runtime.ObjectMethods;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Undeploying the WAR from Tomcat 10.1 ends its streams cleanly and leaves nothing behind that Tomcat's
 * leak detection could find: no thread of ours, no thread holding the webapp class loader, and a class
 * loader that the garbage collector can take. Then the same WAR deploys again in the same Tomcat.
 *
 * <p>The packaged WAR is deployed, so that the webapp class loader defines the application's classes and
 * libraries, as on an installed Tomcat; only then can a reference from a JDK or container structure to one
 * of them (a ThreadLocal value, a cache) keep that loader alive. Tomcat's ThreadLocal scan itself needs
 * {@code --add-opens=java.base/java.lang=ALL-UNNAMED}; without it Tomcat logs that it skipped the scan,
 * and the reachability check below still catches what the scan would have.
 */
class TomcatUndeployIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Where Tomcat's class loader reports threads, ThreadLocals and references an application left behind. */
    private static final Logger LEAK_LOG = Logger.getLogger("org.apache.catalina.loader");

    private final TestRedis redis = TestRedis.shared();
    private final LeakReports leakReports = new LeakReports();
    private TomcatTestServer server;

    @BeforeEach
    void start() throws Exception {
        redis.flush();
        LEAK_LOG.addHandler(leakReports);
        server = TomcatTestServer.startPackagedWar(redis, Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        LEAK_LOG.removeHandler(leakReports);
        server.close();
    }

    @Test
    void undeployEndsTheStreamWithRetryThenLeavesNoThreadNorClassLoaderBehind() throws Throwable {
        WeakReference<ClassLoader> webappLoader = server.webappClassLoader();
        assertFalse(hermesThreads().isEmpty(), "the application runs threads of its own");
        assertFalse(threadsHolding(webappLoader).isEmpty(), "threads started by the application hold its class loader");

        try (SseTestClient client = server.stream("/events/stream")) {
            client.awaitConnected(WAIT);
            // Container threads serve a request and publish an event, as they do all day, before the undeploy.
            HttpResponse<String> created = server.post("/notifications", "{\"message\":\"about to undeploy\"}");
            assertEquals(201, created.statusCode(), created.body());
            client.next(event -> event.name().equals("system_notification"), WAIT);
            server.undeploy();
            SseEvent retry = client.next(event -> event.name().equals("retry"), WAIT);
            int retryMillis = Integer.parseInt(retry.data());
            assertTrue(retryMillis >= 3000 && retryMillis <= 9000, "jittered retry around the configured 3000 ms: " + retryMillis);
            assertTrue(client.awaitEnd(WAIT), "the stream ends");
            assertEquals(List.of(), client.drainReceived(), "the retry is the last frame before the end");
        }

        assertEquals(List.of(), awaitEmpty(TomcatUndeployIT::hermesThreads), "threads of ours still alive");
        assertEquals(List.of(), awaitEmpty(() -> threadsHolding(webappLoader)),
                "threads whose context class loader is the undeployed webapp's");
        assertEquals(List.of(), leakReports.aboutRootContext(), "Tomcat's leak warnings at undeploy");
        assertEquals(List.of(), awaitNoReloadedContextLeaks(), "contexts whose stopped class loader is still reachable");
        assertTrue(webappLoader.get() == null, "the undeployed webapp class loader was collected");
    }

    @Test
    void undeployedWarDeploysAgainInTheSameTomcatAndServes() throws Throwable {
        server.undeploy();
        server.deploy();

        HttpResponse<String> health = Http.get(server.api("/events/health"));
        assertEquals(200, health.statusCode(), health.body());
        assertEquals(0, Events.json(health.body()).path("active_connections").asInt());
        try (SseTestClient client = server.stream("/events/stream?channels=queue");
             TestPublisher publisher = new TestPublisher(redis)) {
            client.awaitConnected(WAIT);
            publisher.queueUpdate(1);
            assertEquals(List.of(1), Events.sequences(client.events("queue_update", 1, WAIT)));
        }

        server.undeploy();
        assertEquals(List.of(), awaitEmpty(TomcatUndeployIT::hermesThreads), "threads of ours still alive");
        assertEquals(List.of(), leakReports.aboutRootContext(), "Tomcat's leak warnings over two deployments");
        assertEquals(List.of(), awaitNoReloadedContextLeaks(), "either deployment's class loader still reachable");
    }

    /** Names of live threads we start ({@code hermes-*}), or that a connection pool would. */
    private static List<String> hermesThreads() {
        return liveThreads().stream()
                .map(Thread::getName)
                .filter(name -> name.startsWith("hermes-") || name.startsWith("commons-pool"))
                .sorted()
                .toList();
    }

    /** Names of live threads whose context class loader is {@code loader}, while it has not been collected. */
    private static List<String> threadsHolding(WeakReference<ClassLoader> loader) {
        return liveThreads().stream()
                .filter(thread -> {
                    ClassLoader held = thread.getContextClassLoader();
                    return held != null && held == loader.get();
                })
                .map(Thread::getName)
                .sorted()
                .toList();
    }

    private static List<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).toList();
    }

    /** Polls {@code found} until it is empty or {@link #WAIT} has passed, and returns what it last found. */
    private static List<String> awaitEmpty(Supplier<List<String>> found) throws InterruptedException {
        return Await.atMost(WAIT, found::get, List::isEmpty);
    }

    /**
     * Tomcat's own "find leaks" check: a context whose stopped class loader is still strongly reachable
     * (Tomcat names the ROOT context ""). It runs the garbage collector itself; a few rounds give weak and
     * soft references, and the HTTP client's selector thread, time to let go.
     */
    private List<String> awaitNoReloadedContextLeaks() throws Throwable {
        releaseJdkRecordMethodCache();
        return awaitEmpty(() -> Arrays.stream(server.host().findReloadedContextMemoryLeaks())
                .map(name -> name.isEmpty() ? "ROOT" : name)
                .toList());
    }

    /**
     * JDK 17 keeps, in a one-entry cache on shared method handles, the last record type whose
     * {@code equals}, {@code hashCode} or {@code toString} it linked (JDK-8078641, fixed in JDK 18). After an
     * undeploy that is one of the WAR's records (EventId), which pins its class loader until any other
     * record is linked, as the next deployment's are. Linking a record of the test's own takes the entry
     * back, so that what remains is what the application holds.
     */
    private static void releaseJdkRecordMethodCache() throws Throwable {
        if (Runtime.version().feature() >= 18) {
            return;
        }
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        MethodHandle value = lookup.findGetter(CacheTaker.class, "value", Object.class);
        ObjectMethods.bootstrap(lookup, "equals", MethodType.methodType(boolean.class, CacheTaker.class, Object.class),
                CacheTaker.class, "value", value);
        ObjectMethods.bootstrap(lookup, "hashCode", MethodType.methodType(int.class, CacheTaker.class),
                CacheTaker.class, "value", value);
        ObjectMethods.bootstrap(lookup, "toString", MethodType.methodType(String.class, CacheTaker.class),
                CacheTaker.class, "value", value);
    }

    /** A record whose only component has a reference type, so linking it reaches every cache concerned. */
    private record CacheTaker(Object value) {
    }

    /** Collects the WARNING and SEVERE lines Tomcat's class loader logs about a web application. */
    private static final class LeakReports extends Handler {
        private final List<String> messages = new ArrayList<>();

        @Override
        public synchronized void publish(LogRecord record) {
            // Advice to open JDK internals for more checks is about the JVM, not about a leak of ours.
            String message = record.getMessage();
            if (record.getLevel().intValue() >= Level.WARNING.intValue() && message != null
                    && !message.contains("--add-opens")) {
                messages.add(message);
            }
        }

        /** What was reported about the ROOT context, our WAR (Tomcat names it {@code [ROOT]}). */
        synchronized List<String> aboutRootContext() {
            return messages.stream().filter(message -> message.contains("[ROOT]")).toList();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
