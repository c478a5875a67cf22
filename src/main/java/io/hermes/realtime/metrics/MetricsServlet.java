package io.hermes.realtime.metrics;

import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code GET /metrics}: every metric of this instance in the Prometheus text format. The caller needs a
 * key with {@code read}, unless its address is listed in {@code HERMES_METRICS_ALLOW}; refusals are the
 * API's usual 401/403 JSON, thrown by the key check the composition root passes in.
 */
final class MetricsServlet extends ApiServlet {
    /** Headers a proxy adds; their presence means the peer address is the proxy's, not the client's. */
    private static final List<String> FORWARDING_HEADERS = List.of("Forwarded", "X-Forwarded-For", "X-Real-IP");

    private final transient Metrics metrics;
    /** Throws the API's 401 or 403 unless the request carries a key that may read. */
    private final transient Consumer<HttpServletRequest> requireReadKey;
    private final transient AddressAllowList allowed;

    MetricsServlet(Json json, Metrics metrics, Consumer<HttpServletRequest> requireReadKey,
            AddressAllowList allowed) {
        super(json);
        this.metrics = metrics;
        this.requireReadKey = requireReadKey;
        this.allowed = allowed;
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!allowedByAddress(request)) {
            requireReadKey.accept(request);
        }
        byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType(TextFormat.CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /**
     * Behind a reverse proxy every client on the internet shares the proxy's address, so a request that
     * came through one (it carries a forwarding header) is let in by its key only, never by address.
     */
    private boolean allowedByAddress(HttpServletRequest request) {
        if (allowed.isEmpty()) {
            return false;
        }
        for (String header : FORWARDING_HEADERS) {
            if (request.getHeader(header) != null) {
                return false;
            }
        }
        return allowed.permits(request.getRemoteAddr());
    }
}
