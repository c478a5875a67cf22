package io.hermes.realtime.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The download API as a client uses it, under one API key: submit a URL or a batch, read a download's
 * status, wait for a status. For tests that need downloads; tests of the endpoints themselves send their
 * own requests.
 */
public final class Downloads {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Statuses a download never leaves ({@code downloads.Status#isTerminal}). */
    private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled");

    private final Function<String, URI> api;
    private final String key;

    /**
     * A client of the instance whose URLs {@code api} builds; {@link WarServer#downloads()} makes one.
     *
     * @param api builds an API URL from a path below {@code /api/v1}, as {@link WarServer#api} does
     * @param key the API key sent as {@code Authorization: Bearer}
     */
    public Downloads(Function<String, URI> api, String key) {
        this.api = api;
        this.key = key;
    }

    /** {@code POST /download}; asserts the 200 and returns its body. */
    public JsonNode submitAnswer(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = Http.postJson(api.apply("/download"), json(Map.of("url", url)), key);
        assertEquals(200, response.statusCode(), response.body());
        return Events.json(response.body());
    }

    /** {@code POST /download}; asserts the 200 and returns the new download's id. */
    public String submit(String url) throws IOException, InterruptedException {
        return submitAnswer(url).path("downloadId").asText();
    }

    /** {@code POST /download/batch}; asserts the 200 and returns the new downloads' ids, in order. */
    public List<String> submitBatch(String... urls) throws IOException, InterruptedException {
        HttpResponse<String> response = Http.postJson(api.apply("/download/batch"), json(Map.of("urls", urls)), key);
        assertEquals(200, response.statusCode(), response.body());
        List<String> ids = new ArrayList<>();
        Events.json(response.body()).path("downloads").forEach(id -> ids.add(id.asText()));
        return ids;
    }

    /** {@code GET /download/{id}}, whatever it answers (an error's body has no {@code status}). */
    public JsonNode status(String id) throws IOException, InterruptedException {
        return Events.json(Http.get(api.apply("/download/" + id), key).body());
    }

    /**
     * Polls the download until its status is {@code wanted}, and returns that answer.
     *
     * @throws AssertionError at once if it ends in another status (an ended download never changes again),
     *                        or after {@code timeout}, with the last answer
     */
    public JsonNode awaitStatus(String id, String wanted, Duration timeout) throws IOException, InterruptedException {
        return await(id, answer -> {
            String status = answer.path("status").asText();
            if (!status.equals(wanted) && TERMINAL.contains(status)) {
                throw new AssertionError("download " + id + " ended " + status + ", never " + wanted + ": " + answer);
            }
            return status.equals(wanted);
        }, "download " + id + " to be " + wanted, timeout);
    }

    /**
     * Polls the download until its answer is {@code wanted}, and returns that answer.
     *
     * @throws AssertionError naming {@code what} and the last answer, after {@code timeout}
     */
    public JsonNode await(String id, Predicate<JsonNode> wanted, String what, Duration timeout)
            throws IOException, InterruptedException {
        return Await.until(timeout, () -> status(id), wanted, what);
    }

    private static String json(Object body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException unwritable) {
            throw new UncheckedIOException(unwritable);
        }
    }
}
