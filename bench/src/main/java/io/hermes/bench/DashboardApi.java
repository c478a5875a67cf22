package io.hermes.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard's REST client ({@code webapp/js/api.js}) as the server sees it: the same paths and
 * headers ({@code Accept: application/json}, the Bearer key, {@code If-None-Match} from the browser cache
 * because api.js fetches with {@code cache: 'no-cache'}), every exchange counted in a {@link TrafficTally}.
 *
 * <p>Headers a browser adds on its own (User-Agent, Accept-Language, Accept-Encoding, Referer, Sec-Fetch-*,
 * often 300–700 bytes) are not sent, so request bytes here are a lower bound for a real browser, and
 * a lower bound that favours polling, which makes far more requests. With {@link #acceptGzip} it sends
 * {@code Accept-Encoding: gzip} and decodes gzip answers (those of a Caddy in front), counting the
 * compressed bytes that crossed the socket.
 */
final class DashboardApi {
    static final String BASE = "/api/v1";

    /** A response as the page sees it: status, JSON body (the cached one for a 304), when it arrived. */
    record Answer(int status, JsonNode body, long receivedMicros) {
    }

    /** A non-2xx, non-304 answer. */
    static final class Failure extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        Failure(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final WireClient client;
    private final String key;
    private final TrafficTally tally;
    private final BrowserCache cache = new BrowserCache();
    private final ObjectMapper mapper = new ObjectMapper();
    private volatile boolean acceptGzip;

    DashboardApi(WireClient client, String key, TrafficTally tally) {
        this.client = client;
        this.key = key;
        this.tally = tally;
    }

    /** GET {@code path} (below /api/v1) with the key, counted under {@code label}. */
    Answer get(String path, String label) throws IOException {
        return request("GET", path, null, label, true);
    }

    /** GET without the key, for /events/health. */
    Answer getPublic(String path, String label) throws IOException {
        return request("GET", path, null, label, false);
    }

    Answer post(String path, Object body, String label) throws IOException {
        return request("POST", path, mapper.writeValueAsBytes(body), label, true);
    }

    /** From now on, asks for gzip (as a browser does) and decodes what comes back compressed. */
    void acceptGzip() {
        acceptGzip = true;
    }

    boolean acceptsGzip() {
        return acceptGzip;
    }

    WireClient client() {
        return client;
    }

    String key() {
        return key;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    private Answer request(String method, String path, byte[] body, String label, boolean auth) throws IOException {
        String target = BASE + path;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        if (auth) {
            headers.put("Authorization", "Bearer " + key);
        }
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        if (acceptGzip) {
            headers.put("Accept-Encoding", "gzip");
        }
        String etag = "GET".equals(method) ? cache.ifNoneMatch(target) : null;
        if (etag != null) {
            headers.put("If-None-Match", etag);
        }
        WireClient.Exchange exchange = client.send(method, target, headers, body);
        HttpResponseReader.Response response = exchange.response();
        tally.exchange(label, response.status(), exchange.requestBytes(), exchange.responseBytes());
        byte[] received = "gzip".equalsIgnoreCase(response.header("content-encoding"))
                ? gunzip(response.body()) : response.body();
        byte[] bytes = "GET".equals(method)
                ? cache.resolve(target, response.status(), response.header("etag"), received)
                : received;
        if (response.status() != 304 && response.status() / 100 != 2) {
            throw new Failure(response.status(), method + " " + target + " answered " + response.status() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return new Answer(response.status(), parse(bytes), exchange.receivedMicros());
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    private JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            return mapper.nullNode();
        }
        try {
            return mapper.readTree(bytes);
        } catch (IOException malformed) {
            throw new UncheckedIOException(malformed);
        }
    }
}
