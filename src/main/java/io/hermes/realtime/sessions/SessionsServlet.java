package io.hermes.realtime.sessions;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.auth.Caller;
import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.http.BodyReader;
import io.hermes.realtime.http.PathSegments;
import io.hermes.realtime.http.RequestBody;
import io.hermes.realtime.json.Json;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * {@code /sessions/…} (contract section 8): {@code POST /sessions} creates a session of the caller's;
 * {@code POST /sessions/{id}/status} is a worker's report ({@code publish}); {@code GET /sessions/{id}/status}
 * is the owner's poll (ETag, 304); {@code GET /sessions/{id}/status/stream} goes to the stream package's servlet.
 * A session of another owner answers 404, as one that does not exist.
 */
final class SessionsServlet extends ApiServlet {
    static final int MAX_TITLE = 200;
    static final int MAX_MESSAGE = 1000;
    static final int MAX_MILESTONE = 200;
    static final int MAX_ERROR = 4000;
    /** Ten years: an estimate beyond that is a worker's bug, not an estimate. */
    static final long MAX_ETA_SECONDS = 10L * 365 * 86_400;

    private final transient TaskSessionStore store;
    private final transient Authenticator authenticator;
    private final transient HttpServlet statusStream;
    private final int maxMetadataBytes;

    SessionsServlet(Json json, BodyReader bodies, TaskSessionStore store, Authenticator authenticator,
            HttpServlet statusStream, int maxMetadataBytes) {
        super(json, bodies);
        this.store = store;
        this.authenticator = authenticator;
        this.statusStream = statusStream;
        this.maxMetadataBytes = maxMetadataBytes;
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<String> path = PathSegments.of(request);
        if (isStatus(path, true)) {
            try {
                statusStream.service(request, response); // answers its own errors, before any byte is streamed
            } catch (ServletException impossible) { // an ApiServlet throws none
                throw new IllegalStateException(impossible);
            }
            return;
        }
        if (!isStatus(path, false)) {
            throw notFound(path);
        }
        Caller caller = authenticator.authenticate(request, "read");
        TaskSession session = store.find(path.get(0)).filter(found -> caller.canSee(found.owner()))
                .orElseThrow(() -> ApiException.notFound("Session not found"));
        respondPolled(request, response, session.statusView());
    }

    @Override
    protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<String> path = PathSegments.of(request);
        if (path.isEmpty()) {
            create(request, response);
        } else if (isStatus(path, false)) {
            report(request, response, path.get(0));
        } else {
            throw notFound(path);
        }
    }

    private void create(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = authenticator.authenticate(request, "write");
        RequestBody body = RequestBody.read(json, request);
        String title = body.string("title", 0, MAX_TITLE, null);
        String metadata = body.object("metadata", maxMetadataBytes);
        TaskSession session = store.create(caller.owner(), title, metadata);
        JsonNode metadataTree = metadata == null ? null : json.mapper().readTree(metadata);
        respond(response, 201, session.createdView(metadataTree));
    }

    /** A worker's report. Any session: a worker serves many owners, and session ids cannot be guessed. */
    private void report(HttpServletRequest request, HttpServletResponse response, String id) throws IOException {
        authenticator.authenticate(request, "publish");
        RequestBody body = RequestBody.read(json, request);
        TaskSession.StatusChange change = new TaskSession.StatusChange(
                body.oneOf("status", TaskSession.STATUSES, null),
                number(body, "progress", 100),
                body.string("message", 0, MAX_MESSAGE, null),
                body.string("milestone", 0, MAX_MILESTONE, null),
                eta(body),
                body.string("error", 0, MAX_ERROR, null));
        respond(response, 200, store.update(id, change).statusView());
    }

    /** An optional number from 0 to {@code max}. */
    private static Double number(RequestBody body, String name, double max) {
        JsonNode value = body.node(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber() || value.doubleValue() < 0 || value.doubleValue() > max) {
            throw ApiException.invalid("Field '" + name + "' must be a number from 0 to " + (long) max);
        }
        return value.doubleValue();
    }

    /** Seconds left, rounded to whole seconds. */
    private static Long eta(RequestBody body) {
        Double seconds = number(body, "eta", MAX_ETA_SECONDS);
        return seconds == null ? null : Math.round(seconds);
    }

    /** {@code [id, status]}, or with {@code stream} {@code [id, status, stream]}. */
    private static boolean isStatus(List<String> path, boolean stream) {
        return path.size() == (stream ? 3 : 2) && path.get(1).equals("status")
                && (!stream || path.get(2).equals("stream"));
    }

    private static ApiException notFound(List<String> path) {
        return ApiException.notFound(path.isEmpty() ? "Not Found" : "Session not found");
    }
}
