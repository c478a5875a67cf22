package io.hermes.realtime.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The application's one configured {@link ObjectMapper} and the helpers that write JSON responses.
 * Built once by the composition root and handed to whoever needs it.
 */
public final class Json {
    private final ObjectMapper mapper;

    public Json() {
        // Buffers are recycled through a pool of this mapper's own, not Jackson's default ThreadLocal: that
        // would leave a BufferRecycler (a class of this WAR) in every container thread, which outlive an
        // undeployed WAR and so keep its class loader until memory runs short.
        this.mapper = JsonMapper.builder(JsonFactory.builder().recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException impossible) {
            throw new UncheckedIOException(impossible);
        }
    }

    /** The body as UTF-8 JSON bytes. */
    public byte[] bytes(Object body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException impossible) {
            throw new UncheckedIOException(impossible);
        }
    }

    /**
     * Writes {@code body} as a 200 JSON response with a strong {@code ETag} (a hash of the bytes), or a
     * bodiless 304 when the request's {@code If-None-Match} already names it. This builds and hashes the
     * body even for a 304; views with a version of their own answer through
     * {@code io.hermes.realtime.polling.PolledViews}, which does not.
     */
    public void respondPolled(HttpServletRequest request, HttpServletResponse response, Object body)
            throws IOException {
        byte[] bytes = bytes(body);
        respondPolled(request, response, "\"" + etagOf(bytes) + "\"", () -> bytes);
    }

    /**
     * Answers a polled view whose strong {@code etag} is known before its body: a bodiless 304 when the
     * request's {@code If-None-Match} names it (or is {@code *}), else 200 with {@code body}, which is only
     * asked for then. Headers are set after the body is built, so a failure to build it leaves none behind.
     */
    public void respondPolled(HttpServletRequest request, HttpServletResponse response, String etag,
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
        return java.util.HexFormat.of().formatHex(Sha256.digest(bytes), 0, 16);
    }

    /** Writes {@code body} as a JSON response with the given status. */
    public void respond(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
