package io.hermes.realtime.http;

import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * Writes JSON responses: a body with a status, or a polled view's body with a strong {@code ETag} that a
 * repeated request is answered 304 for. Servlets write through {@link ApiServlet}'s {@code respond}.
 */
public final class JsonResponse {
    private JsonResponse() {
    }

    /** Writes {@code body} as a JSON response with the given status. */
    public static void send(Json json, HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = json.mapper().writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /**
     * Writes {@code body} as a 200 JSON response with a strong {@code ETag} (a hash of the bytes), or a
     * bodiless 304 when the request's {@code If-None-Match} already names it. This builds and hashes the
     * body even for a 304; views with a version of their own answer through
     * {@code io.hermes.realtime.polling.PolledResponses}, which does not.
     */
    public static void sendPolled(Json json, HttpServletRequest request, HttpServletResponse response, Object body)
            throws IOException {
        byte[] bytes = json.bytes(body);
        sendPolled(request, response, "\"" + etagOf(bytes) + "\"", () -> bytes);
    }

    /**
     * Answers a polled view whose strong {@code etag} is known before its body: a bodiless 304 when the
     * request's {@code If-None-Match} names it (or is {@code *}), else 200 with {@code body}, which is only
     * asked for then. Headers are set after the body is built, so a failure to build it leaves none behind.
     */
    public static void sendPolled(HttpServletRequest request, HttpServletResponse response, String etag,
            Supplier<byte[]> body) throws IOException {
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            setValidator(response, etag);
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        byte[] bytes = body.get();
        setValidator(response, etag);
        response.setStatus(200);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static void setValidator(HttpServletResponse response, String etag) {
        response.setHeader("ETag", etag);
        response.setHeader("Cache-Control", "no-cache");
    }

    /** Whether an {@code If-None-Match} list names {@code etag}; weak tags compare by their opaque part. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch.trim().equals("*")) {
            return true;
        }
        for (String listed : ifNoneMatch.split(",")) {
            String tag = listed.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static String etagOf(byte[] bytes) {
        return HexFormat.of().formatHex(Sha256.digest(bytes), 0, 16);
    }
}
