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
 * echoed with credentials allowed; preflights are answered here, and {@code Last-Event-ID} may be sent.
 * Requests from other origins get no CORS headers, so browsers refuse to hand them the answer.
 */
public final class CorsFilter extends HttpFilter {
    private static final String ALLOWED_METHODS = "GET, POST, DELETE, OPTIONS";
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, Last-Event-ID, If-None-Match, Cache-Control";
    private static final String EXPOSED_HEADERS = "ETag, Retry-After";

    private final Set<String> origins;

    public CorsFilter(List<String> origins) {
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
        if ("OPTIONS".equals(request.getMethod())) {
            if (BodyReader.carriesBody(request)) { // never read: Tomcat would swallow it on this thread
                BodyReader.answerUnread(request, response, () -> answerOptions(request, response, allowed));
            } else {
                answerOptions(request, response, allowed);
            }
            return;
        }
        chain.doFilter(request, response);
    }

    private static void answerOptions(HttpServletRequest request, HttpServletResponse response, boolean allowed) {
        if (allowed && request.getHeader("Access-Control-Request-Method") != null) {
            response.setHeader("Access-Control-Allow-Methods", ALLOWED_METHODS);
            response.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            response.setHeader("Access-Control-Max-Age", "600");
        }
        response.setHeader("Allow", ALLOWED_METHODS);
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }
}
