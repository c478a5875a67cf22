package io.hermes.realtime.polling;

import io.hermes.realtime.http.JsonResponse;
import io.hermes.realtime.http.Sha256;
import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * Answers polled GETs from the version of their data set instead of from their body. The ETag is a
 * hash of the view's identity (data set, version, {@link ViewKey}), so a request whose
 * {@code If-None-Match} names it gets a 304 after one read of the version and nothing else; a 200
 * for an identity this instance rendered before costs the same read and a copy of the kept bytes.
 *
 * <p>While a data set has no version yet (a Redis emptied since its last write), the body is built and
 * hashed as {@link JsonResponse#sendPolled} always did, so a view is never answered from a version that
 * does not exist. ETags of this kind start with {@code "pv-}, so none equals a body hash from before.
 */
public final class PolledResponses {
    private static final String ETAG_PREFIX = "\"pv-";
    private static final HexFormat HEX = HexFormat.of();

    private final ViewVersions versions;
    private final Json json;
    private final RenderedBodies bodies;
    private final String build;

    /**
     * {@code cacheBytes} bounds the rendered bodies kept in this instance (0 keeps none). {@code build}
     * names the code that renders the views and goes into every ETag: a deployment that renders a view
     * differently must not answer 304 to a body of the one before. Instances of one build share it.
     */
    public PolledResponses(ViewVersions versions, Json json, long cacheBytes, String build) {
        this.versions = versions;
        this.json = json;
        this.bodies = cacheBytes > 0 ? new RenderedBodies(cacheBytes) : null;
        this.build = build;
    }

    /**
     * Writes the view named by {@code key}: 304 when the request already holds it, else 200 with the
     * kept bytes or with {@code body}, which is only called then. The key must capture everything the
     * body depends on besides the data set, and be complete before this is called.
     */
    public void respond(HttpServletRequest request, HttpServletResponse response, ViewKey key, Supplier<?> body)
            throws IOException {
        String version = versions.current(key.data());
        if (version == null) {
            JsonResponse.sendPolled(json, request, response, body.get());
            return;
        }
        String identity = build + ';' + key.identity(version);
        JsonResponse.sendPolled(request, response, etagOf(identity), () -> rendered(identity, body));
    }

    /**
     * Validates {@code view}'s parameters for the caller, then answers it as {@link #respond(HttpServletRequest,
     * HttpServletResponse, ViewKey, Supplier)} does, keyed by {@code data}, {@code name} and the prepared identity:
     * the one way every polled endpoint answers.
     */
    public void respond(HttpServletRequest request, HttpServletResponse response, DataSet data, String name,
            PolledView view, String ownerFilter) throws IOException {
        PolledView.Prepared prepared = view.prepare(ownerFilter, request::getParameter);
        respond(request, response, ViewKey.of(data, name).withAll(prepared.identity()), prepared.body());
    }

    /** The kept bytes of {@code identity}, or the body built now (and kept). */
    private byte[] rendered(String identity, Supplier<?> body) {
        byte[] bytes = bodies == null ? null : bodies.get(identity);
        if (bytes == null) {
            // Built after the version was read: the data is that version's or newer, never older.
            bytes = json.bytes(body.get());
            if (bodies != null) {
                bodies.put(identity, bytes);
            }
        }
        return bytes;
    }

    static String etagOf(String identity) {
        byte[] digest = Sha256.digest(identity.getBytes(StandardCharsets.UTF_8));
        return ETAG_PREFIX + HEX.formatHex(digest, 0, 16) + '"';
    }
}
