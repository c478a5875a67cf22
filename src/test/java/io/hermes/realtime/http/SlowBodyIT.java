package io.hermes.realtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.RawHttp;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import io.hermes.realtime.testing.WarServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14, point 1: 250 clients posting {@code Content-Length: 1000} and sending one byte every 5 s hold
 * no container thread (both containers have 200), so everyone else is answered as usual; each slow client
 * is answered in JSON, 429 when its key already has as many bodies in flight as allowed, else 408 at the
 * body deadline.
 */
class SlowBodyIT {
    private static final int SLOW_CLIENTS = 250;
    private static final int DEADLINE_SECONDS = 3;
    /** Longer than the deadline, so no slow body ever completes: each is answered 408 or 429. */
    private static final Duration DRIP_INTERVAL = Duration.ofSeconds(5);
    private static final Duration PROMPT = Duration.ofSeconds(1);

    private final TestRedis redis = TestRedis.shared();
    private final List<RawHttp> slow = new ArrayList<>();
    private ScheduledExecutorService dripper;
    private ExecutorService timed;
    private WarServer server;

    @BeforeEach
    void setUp() {
        redis.flush();
        dripper = Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "slow-body-dripper"));
        timed = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "slow-body-probe");
            thread.setDaemon(true); // a probe stuck on a starved server must not keep the test JVM alive
            return thread;
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        dripper.shutdownNow();
        assertTrue(dripper.awaitTermination(10, TimeUnit.SECONDS));
        for (RawHttp client : slow) {
            client.close();
        }
        timed.shutdownNow();
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "tomcat"})
    void slowBodiesOverTheKeysCapAre429AndTheRest408WhileOthersAreServedAtOnce(String container) throws Exception {
        server = WarServer.start(container, Map.of("HERMES_BODY_READ_TIMEOUT", String.valueOf(DEADLINE_SECONDS)));
        String key = readOnlyKey();
        warmUp();

        openSlowBodies(key);
        othersAreAnsweredPromptly();

        Map<Integer, Integer> statuses = answersOfSlowClients();
        System.out.printf("SlowBodyIT (%s): the slow clients were answered, by status: %s%n", container, statuses);
        assertEquals(SLOW_CLIENTS, statuses.values().stream().mapToInt(Integer::intValue).sum(), statuses.toString());
        assertTrue(statuses.getOrDefault(429, 0) > 0 && statuses.getOrDefault(408, 0) >= 8, statuses.toString());
        assertEquals(Map.of(408, statuses.get(408), 429, statuses.get(429)), statuses, "nothing but 408 and 429");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetty", "tomcat"})
    void slowBodiesAllowedInFlightAreReadWithoutHoldingAThreadAndAllEndIn408(String container) throws Exception {
        server = WarServer.start(container, Map.of("HERMES_BODY_READ_TIMEOUT", String.valueOf(DEADLINE_SECONDS),
                "HERMES_BODY_MAX_IN_FLIGHT", "1000"));
        String key = readOnlyKey();
        warmUp();

        openSlowBodies(key);
        othersAreAnsweredPromptly();

        assertEquals(Map.of(408, SLOW_CLIENTS), answersOfSlowClients());
    }

    private String readOnlyKey() throws Exception {
        HttpResponse<String> created = server.post("/auth/api-keys", "{\"name\":\"slow\",\"permissions\":[\"read\"]}");
        assertEquals(201, created.statusCode(), created.body());
        return Events.json(created.body()).path("key").asText();
    }

    /** Each probe once before the clock matters: a container's first answers include class loading. */
    private void warmUp() throws Exception {
        healthAnswers();
        streamOpens();
        notificationIsPosted();
    }

    /** Sends each slow client's head and first body byte, then one more byte every 5 s until it is answered. */
    private void openSlowBodies(String key) throws IOException {
        String head = RawHttp.head("POST", "/events/token", Map.of("Authorization", "Bearer " + key,
                "Content-Type", "application/json", "Content-Length", "1000"));
        for (int i = 0; i < SLOW_CLIENTS; i++) {
            RawHttp client = RawHttp.connect(server.port(), Duration.ofSeconds(DEADLINE_SECONDS + 15));
            slow.add(client);
            client.send(head + "{");
            dripper.scheduleAtFixedRate(() -> drip(client), DRIP_INTERVAL.toMillis(), DRIP_INTERVAL.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** One more byte, unless the server has answered: writing after its close could reset the connection. */
    private static void drip(RawHttp client) {
        try {
            if (!client.answered()) {
                client.send(" ");
            }
        } catch (IOException closed) {
            // answered and closed meanwhile; its answer is read later
        }
    }

    private void othersAreAnsweredPromptly() throws Exception {
        long health = within(PROMPT, this::healthAnswers);
        long stream = within(PROMPT, this::streamOpens);
        long post = within(PROMPT, this::notificationIsPosted);
        System.out.printf("SlowBodyIT (%s): with %d slow bodies open, /health answered in %d ms, a stream was"
                + " connected in %d ms, a POST answered in %d ms%n", server instanceof TestServer ? "jetty" : "tomcat", SLOW_CLIENTS,
                health, stream, post);
    }

    private Void healthAnswers() throws Exception {
        HttpResponse<String> health = Http.send(Http.request(server.api("/health"), null).timeout(PROMPT));
        assertEquals(200, health.statusCode(), health.body());
        return null;
    }

    private Void streamOpens() throws Exception {
        try (SseTestClient stream = server.stream("/events/queue")) {
            assertEquals(200, stream.status());
            stream.awaitConnected(PROMPT);
        }
        return null;
    }

    private Void notificationIsPosted() throws Exception {
        HttpResponse<String> posted = Http.send(Http.request(server.api("/notifications"), TestServer.ADMIN_KEY)
                .timeout(PROMPT).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"message\":\"still served\"}")));
        assertEquals(201, posted.statusCode(), posted.body());
        return null;
    }

    /** Runs {@code probe} and fails unless it finished within {@code limit}; returns how long it took (ms). */
    private long within(Duration limit, Callable<Void> probe) throws Exception {
        long started = System.nanoTime();
        Future<Void> running = timed.submit(probe);
        try {
            running.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        } catch (TimeoutException slowAnswer) {
            running.cancel(true);
            throw new AssertionError("not answered within " + limit + " while slow bodies were arriving", slowAnswer);
        }
    }

    /** Reads every slow client's answer, checks its shape, and counts them by status. */
    private Map<Integer, Integer> answersOfSlowClients() throws IOException {
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (RawHttp client : slow) {
            RawHttp.Response response = client.read();
            statuses.merge(response.status(), 1, Integer::sum);
            assertTrue(response.header("Content-Type").startsWith("application/json"), response.headers().toString());
            assertEquals("close", response.header("Connection"), response.headers().toString());
            assertEquals("nosniff", response.header("X-Content-Type-Options"));
            JsonNode error = Events.json(response.body());
            assertEquals("http_" + response.status(), error.path("error").path("code").asText(), response.body());
            if (response.status() == 429) {
                assertEquals("1", response.header("Retry-After"));
            }
        }
        return statuses;
    }
}
