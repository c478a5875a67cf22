package io.hermes.realtime.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * CORS for the origins in {@code HERMES_ALLOWED_ORIGINS} (none: same origin only). Allowed origins are
 * echoed with credentials allowed; preflights get their CORS headers here (the endpoint answers them), and
 * {@code Last-Event-ID} may be sent. Requests from other origins get no CORS headers, so browsers refuse to
 * hand them the answer.
 */
final class CorsFilter extends HttpFilter {
    private static final String ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, Last-Event-ID, If-None-Match, Cache-Control";
    private static final String EXPOSED_HEADERS = "ETag, Retry-After";

    private final Set<String> origins;

    CorsFilter(List<String> origins) {
        this.origins = Set.copyOf(origins);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String origin = request.getHeader("Origin");
        boolean allowed = origin != null && origins.contains(origin);
        if (origin != null) {
            response.addHeader("Vary", "Origin");
        }
        if (allowed) {
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.setHeader("Access-Control-Allow-Credentials", "true");
            response.setHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        }
        if (allowed && "OPTIONS".equals(request.getMethod())
                && request.getHeader("Access-Control-Request-Method") != null) {
            response.setHeader("Access-Control-Allow-Methods", ALLOWED_METHODS);
            response.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            response.setHeader("Access-Control-Max-Age", "600");
        }
        // The endpoint itself answers OPTIONS, preflights included: 204 with its own Allow where it exists,
        // 404 where nothing does, so a preflight to a path that is not there fails as the request would.
        chain.doFilter(request, response);
    }
}
