package io.hermes.realtime.http;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/**
 * The segments of a request's path info after a servlet's prefix mapping: {@code /a/b} and {@code /a/b/}
 * both give {@code [a, b]} (the contract's paths answer with and without a trailing slash), and no path
 * or {@code /} gives none. Segments are not decoded or checked; callers validate them as ids.
 */
public final class PathSegments {
    private PathSegments() {
    }

    public static List<String> of(HttpServletRequest request) {
        String path = request.getPathInfo();
        if (path == null || path.equals("/")) {
            return List.of();
        }
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return List.of(trimmed.split("/", -1));
    }
}
