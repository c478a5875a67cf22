package io.hermes.realtime.http;

import io.hermes.realtime.json.Json;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the container's static file servlet to reading the page's files. A file answers GET and HEAD (the
 * container serves it), OPTIONS (204 with {@code Allow}) and nothing else (a JSON 405 with {@code Allow}).
 * A directory is not there at all: a JSON 404 for every method, so no container lists it, redirects to it
 * or says it exists. A path with no file behind it is left to the container for GET and HEAD (its 404 goes
 * through the error page) and answers 404 to everything else. Containers differ on all of this (Tomcat
 * serves a POST as a GET, Jetty answers OPTIONS for files that do not exist), so the WAR decides.
 */
final class StaticFilesFilter extends HttpFilter {
    private final transient Json json;
    /** The name of the container's servlet mapped at {@code /}, which serves the page's files. */
    private String staticServlet;

    StaticFilesFilter(Json json) {
        this.json = json;
    }

    /**
     * Finds the static file servlet by its mapping, not by its mapping match: Tomcat hands a welcome file
     * ({@code /} for {@code /index.html}) to it without calling that a default match.
     */
    @Override
    public void init() {
        staticServlet = getServletContext().getServletRegistrations().values().stream()
                .filter(registration -> registration.getMappings().contains("/"))
                .map(ServletRegistration::getName)
                .findFirst().orElse(null);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (staticServlet == null || !staticServlet.equals(request.getHttpServletMapping().getServletName())) {
            chain.doFilter(request, response);
            return;
        }
        String path = pathOf(request);
        String method = request.getMethod();
        if (isDirectory(path)) {
            notFound(response);
        } else if ("GET".equals(method) || "HEAD".equals(method)) {
            chain.doFilter(request, response);
        } else if (!exists(path)) {
            notFound(response);
        } else if ("OPTIONS".equals(method)) {
            response.setHeader("Allow", ErrorPageServlet.STATIC_METHODS);
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        } else {
            ErrorBody.send(json, response, HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                    ErrorPageServlet.messageFor(HttpServletResponse.SC_METHOD_NOT_ALLOWED),
                    Map.of("Allow", ErrorPageServlet.STATIC_METHODS));
        }
    }

    private void notFound(HttpServletResponse response) throws IOException {
        ErrorBody.send(json, response, HttpServletResponse.SC_NOT_FOUND,
                ErrorPageServlet.messageFor(HttpServletResponse.SC_NOT_FOUND), Map.of());
    }

    /** The decoded, normalised path in the context: what the default servlet looks up. */
    private static String pathOf(HttpServletRequest request) {
        String pathInfo = request.getPathInfo();
        return request.getServletPath() + (pathInfo == null ? "" : pathInfo);
    }

    /** A directory other than the root, which is the page itself (its welcome file). */
    private boolean isDirectory(String path) {
        if (path.isEmpty() || path.equals("/")) {
            return false;
        }
        if (path.endsWith("/")) {
            return true;
        }
        Set<String> children = getServletContext().getResourcePaths(path + "/");
        return children != null && !children.isEmpty();
    }

    private boolean exists(String path) throws IOException {
        if (path.isEmpty() || path.equals("/")) {
            return true;
        }
        // The container hides these from its static servlet too; say so before asking it for the resource.
        String upper = path.toUpperCase(Locale.ROOT);
        if (upper.startsWith("/WEB-INF") || upper.startsWith("/META-INF")) {
            return false;
        }
        ServletContext context = getServletContext();
        return context.getResource(path) != null;
    }
}
