package io.hermes.realtime.stream;

import java.util.Set;

/**
 * How a dedicated stream passes its events on, where it differs from the multiplexed stream: every event
 * under one name of its own, and the stream ending after an event whose status is final. A task session's
 * stream (contract section 8) shows {@code session_status} events as {@code status} and ends at
 * {@code completed}, {@code failed} or {@code cancelled}.
 *
 * A download's stream keeps its events' names and ends at a download's final status.
 *
 * @param eventName     the name every application event is shown under, or {@code null} to keep their names
 * @param finalStatuses the statuses after which the stream ends
 */
record Relay(String eventName, Set<String> finalStatuses) {

    Relay {
        finalStatuses = Set.copyOf(finalStatuses);
    }

    /** The frame as this stream shows it; frames of the server's own (heartbeats, resync …) pass unchanged. */
    SseFrame pass(SseFrame frame) {
        return frame.channel() == null || eventName == null ? frame : frame.renamed(eventName);
    }

    /** Whether the stream ends once this frame is written. */
    boolean isLast(SseFrame frame) {
        return frame.channel() != null && frame.status() != null && finalStatuses.contains(frame.status());
    }
}
