package io.hermes.realtime.sessions;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.json.Timestamps;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One state of a task session: who owns it, where the task stands, and the id of the {@code session_status}
 * event that announced this state (so a stream opening with it can drop what it already covers).
 *
 * @param progress  percent, 0 to 100, or {@code null} when never reported
 * @param eta       seconds left, as the worker estimated them, or {@code null}
 * @param metadata  the creator's JSON object as text, or {@code null}
 * @param startedAt when it first left {@code pending}, or {@code null}
 * @param completedAt when it reached a final status, or {@code null}
 * @param eventId   the replay stream id of the event that announced this state, or {@code null}
 */
record TaskSession(String id, String owner, String title, String metadata, String status, Double progress,
        String message, String milestone, Long eta, String error, Instant createdAt, Instant startedAt,
        Instant updatedAt, Instant completedAt, String eventId) {

    static final String PENDING = "pending";
    static final Set<String> STATUSES = Set.of(PENDING, "processing", "completed", "failed", "cancelled");
    /** Statuses after which nothing changes again (409). */
    static final Set<String> FINAL = Set.of("completed", "failed", "cancelled");

    /** A new session, {@code pending}. */
    static TaskSession created(String id, String owner, String title, String metadata, Instant now) {
        return new TaskSession(id, owner, title, metadata, PENDING, null, null, null, null, null, now, null, now, null,
                null);
    }

    boolean isFinal() {
        return FINAL.contains(status);
    }

    /**
     * The state after {@code change} at {@code now}. Fields the change does not give keep their values, except
     * that a final status leaves no time to wait ({@code eta} null) and {@code completed} means 100 % when the
     * worker did not say.
     */
    TaskSession after(StatusChange change, Instant now) {
        String next = change.status() == null ? status : change.status();
        boolean ends = FINAL.contains(next);
        Double nextProgress = change.progress() != null ? change.progress()
                : next.equals("completed") ? Double.valueOf(100) : progress;
        Long nextEta = change.eta() != null ? change.eta() : ends ? null : eta;
        return new TaskSession(id, owner, title, metadata, next, nextProgress,
                change.message() != null ? change.message() : message,
                change.milestone() != null ? change.milestone() : milestone, nextEta,
                change.error() != null ? change.error() : error, createdAt,
                startedAt == null && !next.equals(PENDING) ? now : startedAt, now, ends ? now : null, eventId);
    }

    TaskSession announcedBy(String newEventId) {
        return new TaskSession(id, owner, title, metadata, status, progress, message, milestone, eta, error, createdAt,
                startedAt, updatedAt, completedAt, newEventId);
    }

    /** The REST view of its status (camelCase), as {@code GET /sessions/{id}/status} answers. */
    Map<String, Object> statusView() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("sessionId", id);
        view.put("status", status);
        view.put("progress", progress);
        view.put("message", message);
        view.put("milestone", milestone);
        view.put("eta", eta);
        view.put("error", error);
        view.put("startedAt", format(startedAt));
        view.put("updatedAt", format(updatedAt));
        view.put("completedAt", format(completedAt));
        return view;
    }

    /**
     * What {@code POST /sessions} answers: the status, and what the session was created with ({@code metadataTree},
     * the metadata parsed, or {@code null}).
     */
    Map<String, Object> createdView(JsonNode metadataTree) {
        Map<String, Object> view = statusView();
        view.put("title", title);
        view.put("metadata", metadataTree);
        view.put("owner", owner);
        view.put("createdAt", format(createdAt));
        return view;
    }

    /** The {@code session_status} event's data (snake_case): the status, {@code session_id} and {@code owner}. */
    Map<String, Object> eventData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("session_id", id);
        data.put("owner", owner);
        data.put("status", status);
        data.put("progress", progress);
        data.put("message", message);
        data.put("milestone", milestone);
        data.put("eta", eta);
        data.put("error", error);
        data.put("started_at", format(startedAt));
        data.put("updated_at", format(updatedAt));
        data.put("completed_at", format(completedAt));
        return data;
    }

    /** What Redis keeps: the event's data and the rest of the session. */
    Map<String, Object> storedForm() {
        Map<String, Object> stored = eventData();
        stored.put("title", title);
        stored.put("metadata", metadata);
        stored.put("created_at", format(createdAt));
        stored.put("event_id", eventId);
        return stored;
    }

    /** Reads {@link #storedForm}. */
    static TaskSession fromStored(JsonNode node) {
        return new TaskSession(text(node, "session_id"), text(node, "owner"), text(node, "title"),
                text(node, "metadata"), text(node, "status"),
                node.path("progress").isNumber() ? node.path("progress").doubleValue() : null,
                text(node, "message"), text(node, "milestone"),
                node.path("eta").isNumber() ? node.path("eta").longValue() : null, text(node, "error"),
                instant(node, "created_at"), instant(node, "started_at"), instant(node, "updated_at"),
                instant(node, "completed_at"), text(node, "event_id"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.textValue() : null;
    }

    private static Instant instant(JsonNode node, String field) {
        String text = text(node, field);
        return text == null ? null : Instant.parse(text);
    }

    private static String format(Instant instant) {
        return instant == null ? null : Timestamps.format(instant);
    }

    /**
     * What a worker reported, each field {@code null} when not given.
     *
     * @param progress percent, 0 to 100
     * @param eta      seconds left
     */
    record StatusChange(String status, Double progress, String message, String milestone, Long eta, String error) {
    }
}
