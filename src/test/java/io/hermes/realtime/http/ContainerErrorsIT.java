package io.hermes.realtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.RawHttp;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import io.hermes.realtime.testing.TomcatTestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever fails, on either container, the client gets JSON and {@code nosniff}, never the container's HTML
 * page, stack trace or version. An error the WAR sees is the contract's body, also when the container raised
 * it (through the WAR's error page); on Jetty that includes what it refuses before the WAR runs, as
 * {@code deploy/jetty} configures it. What Tomcat refuses before the WAR runs is the JSON of the valve
 * {@code deploy/tomcat/server.xml} configures. The embedded servers apply those shipped files
 * ({@code testing/DeploySettings}); Tomcat runs the packaged WAR. Requests go out on a bare socket, since
 * {@code java.net.http} refuses most of these paths.
 */
class ContainerErrorsIT {
    private static final String STATIC_METHODS = "GET, HEAD, OPTIONS";
    private static final Map<String, String> BIG_HEADER = Map.of("X-Padding", "p".repeat(20_000));

    private static TestServer jetty;
    private static TomcatTestServer tomcat;

    enum Container {
        JETTY, TOMCAT;

        int port() {
            return this == JETTY ? jetty.port() : tomcat.port();
        }
    }

    /** Who answers a case on Tomcat: the WAR, or the host's error report valve before the WAR runs. */
    enum TomcatAnswer { WAR, HOST_VALVE }

    /** One request, and the status each container answers it with. */
    record Case(String method, String target, Map<String, String> headers, int jettyStatus, int tomcatStatus,
            TomcatAnswer onTomcat, String allow) {
        static Case of(String method, String target, int jettyStatus, int tomcatStatus, TomcatAnswer onTomcat) {
            return new Case(method, target, Map.of(), jettyStatus, tomcatStatus, onTomcat, null);
        }

        Case allowing(String methods) {
            return new Case(method, target, headers, jettyStatus, tomcatStatus, onTomcat, methods);
        }

        Case with(Map<String, String> extra) {
            return new Case(method, target, extra, jettyStatus, tomcatStatus, onTomcat, allow);
        }

        @Override
        public String toString() {
            String shown = target.length() > 40
                    ? target.substring(0, 20) + "… (" + target.length() + " chars)" : target;
            return method + " " + shown + (headers.isEmpty() ? "" : " with a 20 KB header");
        }
    }

    @BeforeAll
    static void start() throws Exception {
        TestRedis.shared().flush();
        jetty = TestServer.start(Map.of());
        tomcat = TomcatTestServer.startPackagedWar(TestRedis.shared(), Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (jetty != null) {
            jetty.close();
        }
        if (tomcat != null) {
            tomcat.close();
        }
    }

    static List<Case> cases() {
        TomcatAnswer war = TomcatAnswer.WAR;
        TomcatAnswer valve = TomcatAnswer.HOST_VALVE;
        return List.of(
                // Ambiguous or encoded paths: Jetty refuses them all before the WAR; Tomcat refuses what it
                // cannot decode safely and normalises the rest, which the WAR then answers.
                Case.of("GET", "/api/v1/..%2Fhealth", 400, 400, valve),
                Case.of("GET", "/%2e%2e/", 400, 400, valve),
                Case.of("GET", "/api/v1/queue%252F", 400, 404, war),
                Case.of("GET", "//api/v1/queue", 400, 401, war),
                Case.of("GET", "/api/v1/queue/..;/x", 400, 404, war),
                Case.of("GET", "/js/..%2F..%2FWEB-INF/web.xml", 400, 400, valve),
                // Static files: missing, hidden, directories (never listed), the error page asked directly.
                Case.of("GET", "/nope.js", 404, 404, war),
                Case.of("GET", "/WEB-INF/web.xml", 404, 404, war),
                Case.of("GET", "/js/", 404, 404, war),
                Case.of("GET", "/css/", 404, 404, war),
                Case.of("GET", "/js", 404, 404, war),
                Case.of("GET", "/error", 404, 404, war),
                // Methods: static files are read-only, API endpoints list their own; unknown paths have none.
                Case.of("PUT", "/index.html", 405, 405, war).allowing(STATIC_METHODS),
                Case.of("DELETE", "/js/main.js", 405, 405, war).allowing(STATIC_METHODS),
                Case.of("POST", "/index.html", 405, 405, war).allowing(STATIC_METHODS),
                Case.of("POST", "/", 405, 405, war).allowing(STATIC_METHODS),
                Case.of("PUT", "/api/v1/queue", 405, 405, war).allowing("GET, HEAD, OPTIONS"),
                Case.of("PATCH", "/api/v1/notifications", 405, 405, war).allowing("GET, HEAD, POST, OPTIONS"),
                Case.of("PUT", "/api/v1/download/abc", 405, 405, war).allowing("GET, HEAD, POST, DELETE, OPTIONS"),
                Case.of("OPTIONS", "/nope", 404, 404, war),
                Case.of("OPTIONS", "/api/v1/nope", 404, 404, war),
                Case.of("PUT", "/api/v1/nope", 404, 404, war),
                Case.of("POST", "/nope.js", 404, 404, war),
                // Too long for the connector: Jetty says 414 and 431, Tomcat 400 for both.
                Case.of("GET", "/" + "a".repeat(20_000), 414, 400, valve),
                Case.of("GET", "/api/v1/health", 431, 400, valve).with(BIG_HEADER));
    }

    static Stream<Arguments> everyCaseOnEveryContainer() {
        List<Arguments> all = new ArrayList<>();
        for (Container container : Container.values()) {
            for (Case each : cases()) {
                all.add(Arguments.of(container, each));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyCaseOnEveryContainer")
    void everyErrorIsJsonWithNosniffAndNothingOfTheContainersOwn(Container container, Case request) throws Exception {
        RawHttp.Response response = RawHttp.exchange(container.port(), request.method(), request.target(),
                request.headers());
        boolean valve = container == Container.TOMCAT && request.onTomcat() == TomcatAnswer.HOST_VALVE;
        int status = container == Container.JETTY ? request.jettyStatus() : request.tomcatStatus();

        assertEquals(status, response.status(), response::toString);
        assertTrue(String.valueOf(response.header("Content-Type")).startsWith("application/json"), response::toString);
        JsonNode body = Events.json(response.body());
        if (valve) {
            // Tomcat's JsonErrorReportValve with showReport="false": the status and nothing else.
            assertEquals(1, body.size(), response::toString);
            assertEquals(status, body.path("status").asInt(), response::toString);
        } else {
            assertEquals("nosniff", response.header("X-Content-Type-Options"), response::toString);
            assertTrue(body.path("detail").isTextual() && !body.path("detail").asText().isBlank(), response::toString);
            assertEquals("http_" + status, body.path("error").path("code").asText(), response::toString);
            assertEquals(body.path("detail").asText(), body.path("error").path("message").asText());
            assertTrue(body.path("error").has("details") && body.path("error").path("details").isNull());
        }
        assertEquals(request.allow(), response.header("Allow"), response::toString);
        assertNothingOfTheContainer(response);
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void staticFilesAndEndpointsAnswerOptionsWithTheMethodsTheyHave(Container container) throws Exception {
        Map<String, String> allowed = Map.of(
                "/index.html", STATIC_METHODS,
                "/js/main.js", STATIC_METHODS,
                "/", STATIC_METHODS,
                "/api/v1/queue", "GET, HEAD, OPTIONS",
                "/api/v1/notifications", "GET, HEAD, POST, OPTIONS",
                "/api/v1/download/abc", "GET, HEAD, POST, DELETE, OPTIONS");
        for (Map.Entry<String, String> path : allowed.entrySet()) {
            RawHttp.Response response = RawHttp.exchange(container.port(), "OPTIONS", path.getKey(), Map.of());
            assertEquals(204, response.status(), path.getKey() + ": " + response);
            assertEquals(path.getValue(), response.header("Allow"), path.getKey() + ": " + response);
            assertEquals("nosniff", response.header("X-Content-Type-Options"));
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void thePageAndItsFilesAreServedAsBefore(Container container) throws Exception {
        RawHttp.Response page = RawHttp.exchange(container.port(), "GET", "/", Map.of());
        assertEquals(200, page.status(), page::toString);
        assertTrue(page.header("Content-Type").startsWith("text/html"), page::toString);
        assertTrue(page.body().contains("<title>"), page::toString);

        RawHttp.Response script = RawHttp.exchange(container.port(), "GET", "/js/main.js", Map.of());
        assertEquals(200, script.status(), script::toString);
        assertTrue(script.header("Content-Type").contains("javascript"), script::toString);

        RawHttp.Response head = RawHttp.exchange(container.port(), "HEAD", "/css/app.css", Map.of());
        assertEquals(200, head.status(), head::toString);
        assertEquals("", head.body());
    }

    /** No stack trace, exception, server name or version, in the headers or the body. */
    private static void assertNothingOfTheContainer(RawHttp.Response response) {
        assertNull(response.header("Server"), response::toString);
        assertNull(response.header("X-Powered-By"), response::toString);
        for (String leak : List.of("Exception", "at org.", "at io.", "Jetty", "Tomcat", "Apache", "<html")) {
            assertFalse(response.body().contains(leak), () -> "'" + leak + "' in " + response);
        }
    }
}
