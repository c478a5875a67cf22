package io.hermes.realtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.RawHttp;
import io.hermes.realtime.testing.RedisSnapshot;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import io.hermes.realtime.testing.TomcatTestServer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;

/**
 * Every row of {@code hostile-requests.txt}, sent byte for byte on a bare socket to the WAR on Jetty and on
 * Tomcat: each answers its status with the contract's JSON error body, {@code nosniff}, no stack trace, and
 * Redis holds exactly what it held before.
 */
class HostileRequestsIT {
    private static final TestRedis REDIS = TestRedis.shared();
    private static final Pattern REPEAT = Pattern.compile("\\{x:(\\d+)}");
    private static final Pattern DEEP = Pattern.compile("\\{deep:(\\d+)}");
    private static final String BAD_UTF8 = "{BAD_UTF8}";
    private static final Pattern API_KEY_RECORD = Pattern.compile("hermes:apikey:[0-9a-f-]{36}");

    private static TestServer jetty;
    private static TomcatTestServer tomcat;
    private static String readKey;
    private static String mine;

    /** One row of the table. */
    record Case(int line, List<Integer> statuses, String method, String target, List<String> headers, String body,
            String mentions) {
        @Override
        public String toString() {
            return "line " + line + ": " + method + " " + abbreviate(target) + (headers.isEmpty() ? "" : " " + headers)
                    + (body.isEmpty() ? "" : " " + abbreviate(body)) + " → " + statuses;
        }

        private static String abbreviate(String text) {
            return text.length() > 80 ? text.substring(0, 77) + "..." : text;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        REDIS.flush();
        Map<String, String> settings = Map.of(Settings.MAX_BODY_BYTES, "8192", Settings.MAX_METADATA_BYTES, "1024",
                Settings.WORKER_ENABLED, "false");
        jetty = TestServer.start(REDIS, settings);
        tomcat = TomcatTestServer.start(REDIS, settings);
        JsonNode key = Events.json(jetty.post("/auth/api-keys", "{\"name\":\"reader\",\"permissions\":[\"read\"]}").body());
        readKey = key.path("key").asText();
        Http.get(jetty.api("/queue"), readKey); // records lastUsed now, not during a case
        mine = jetty.downloads().submit("https://example.org/mine");
        jetty.post("/notifications", "{\"message\":\"already here\"}");
    }

    @AfterAll
    static void stop() throws Exception {
        if (tomcat != null) {
            tomcat.close();
        }
        if (jetty != null) {
            jetty.close();
        }
    }

    static Stream<Arguments> cases() throws IOException {
        List<Case> cases = table();
        return Stream.concat(cases.stream().map(row -> Arguments.of("Jetty", row)),
                cases.stream().map(row -> Arguments.of("Tomcat", row)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void refusedWithTheContractsErrorAndNothingStored(String container, Case row) throws Exception {
        int port = container.equals("Jetty") ? jetty.port() : tomcat.port();
        Map<String, String> before = redisContents();

        RawHttp.Response response = RawHttp.exchange(port, request(row));

        assertTrue(row.statuses().contains(response.status()), "status " + response.status() + "\n" + response);
        assertEquals("nosniff", response.header("X-Content-Type-Options"), response.toString());
        if (!row.method().equals("HEAD")) {
            assertTrue(String.valueOf(response.header("Content-Type")).startsWith("application/json"), response.toString());
            JsonNode error = Events.json(response.body());
            String detail = error.path("detail").asText();
            assertFalse(detail.isEmpty(), response.toString());
            assertEquals("http_" + response.status(), error.path("error").path("code").asText(), response.toString());
            assertEquals(detail, error.path("error").path("message").asText());
            if (!row.mentions().equals("-")) {
                assertTrue(detail.toLowerCase(Locale.ROOT).contains(row.mentions().toLowerCase(Locale.ROOT)),
                        "detail should mention '" + row.mentions() + "': " + detail);
            }
        }
        String lower = response.body().toLowerCase(Locale.ROOT);
        assertFalse(lower.contains("exception") || lower.contains("\tat ") || lower.contains("at io.hermes")
                || lower.contains("jetty") || lower.contains("tomcat"), "no stack trace or server name: " + response);
        if (response.status() == 405) {
            assertTrue(response.header("Allow") != null, "405 names the methods allowed: " + response);
        }
        assertEquals(before, redisContents(), "Redis unchanged");
    }

    /** The request bytes of a row, placeholders filled in. */
    private static byte[] request(Case row) {
        String target = fill(row.target());
        String body = fill(row.body());
        List<String> headers = new ArrayList<>();
        headers.add("Host: 127.0.0.1");
        headers.add("Connection: close");
        List<String> extra = row.headers().stream().map(HostileRequestsIT::fill).toList();
        boolean noAuth = extra.contains("NOAUTH") || extra.stream().anyMatch(h -> h.startsWith("Authorization:"));
        if (!noAuth) {
            headers.add("Authorization: Bearer " + TestServer.ADMIN_KEY);
        }
        boolean hasBody = !body.isEmpty() || row.method().equals("POST") || row.method().equals("PUT")
                || row.method().equals("PATCH");
        if (hasBody && !extra.contains("NOTYPE") && extra.stream().noneMatch(h -> h.startsWith("Content-Type:"))) {
            headers.add("Content-Type: application/json");
        }
        byte[] bodyBytes = bytes(body);
        if (hasBody && !extra.contains("NOLENGTH")) {
            headers.add("Content-Length: " + bodyBytes.length);
        }
        extra.stream().filter(h -> !h.equals("NOAUTH") && !h.equals("NOTYPE") && !h.equals("NOLENGTH")).forEach(headers::add);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String head = row.method() + " " + target + " HTTP/1.1\r\n" + String.join("\r\n", headers) + "\r\n\r\n";
        bytes.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(bodyBytes);
        return bytes.toByteArray();
    }

    /** The body in UTF-8, but for {@value #BAD_UTF8}, which becomes bytes that are no UTF-8 at all. */
    private static byte[] bytes(String body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String[] parts = body.split(Pattern.quote(BAD_UTF8), -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                bytes.writeBytes(new byte[] {(byte) 0xC3, '('});
            }
            bytes.writeBytes(parts[i].getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static String fill(String text) {
        String repeated = REPEAT.matcher(text).replaceAll(match -> "x".repeat(Integer.parseInt(match.group(1))));
        repeated = DEEP.matcher(repeated).replaceAll(match -> {
            int depth = Integer.parseInt(match.group(1));
            return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        });
        return repeated.replace("{ADMIN}", TestServer.ADMIN_KEY).replace("{READ}", readKey).replace("{MINE}", mine)
                .replace("{CRLF}", "\r\n");
    }

    /**
     * What Redis holds, with one allowance: a key's {@code last_used}, which authenticating with it may
     * record (at most once a minute), is not a change a refused request made.
     */
    private static Map<String, String> redisContents() {
        Map<String, String> contents = new TreeMap<>(RedisSnapshot.of(REDIS));
        try (Jedis jedis = REDIS.client()) {
            for (String key : List.copyOf(contents.keySet())) {
                if (API_KEY_RECORD.matcher(key).matches()) {
                    Map<String, String> fields = new TreeMap<>(jedis.hgetAll(key));
                    fields.remove("last_used");
                    contents.put(key, fields.toString());
                }
            }
        }
        return contents;
    }

    private static List<Case> table() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                HostileRequestsIT.class.getResourceAsStream("hostile-requests.txt"), StandardCharsets.UTF_8))) {
            int number = 0;
            for (String line; (line = lines.readLine()) != null; ) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\\|", -1);
                if (columns.length != 6) {
                    throw new IllegalStateException("hostile-requests.txt line " + number + " has " + columns.length
                            + " columns, not 6");
                }
                Function<Integer, String> column = index -> columns[index].trim();
                List<Integer> statuses = Arrays.stream(column.apply(0).split("/")).map(Integer::valueOf).toList();
                List<String> headers = column.apply(3).isEmpty() ? List.of()
                        : Arrays.stream(column.apply(3).split(";;")).map(String::trim).toList();
                cases.add(new Case(number, statuses, column.apply(1), column.apply(2), headers, column.apply(4),
                        column.apply(5)));
            }
        }
        return cases;
    }
}
