package io.hermes.realtime.stream;

import io.hermes.realtime.bus.EventId;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.json.Timestamps;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Builds the frames the server itself sends: {@code connected}, {@code heartbeat}, {@code resync} and pings. */
final class ControlFrames {
    static final SseFrame PING = SseFrame.comment("ping");

    private final Json json;
    private final Clock clock;

    public ControlFrames(Json json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    /**
     * Written by every handshake, so it is built without the JSON library: both values are plain ASCII (a
     * UUID and an ISO-8601 instant) and need no escaping. A profile of stream openings put 27 % of the
     * handshake's time in the generic path (a map, Jackson, the formatter).
     */
    SseFrame connected(String connectionId) {
        if (!isPlainId(connectionId)) {
            throw new IllegalArgumentException("connection ids are UUIDs");
        }
        String data = "{\"connection_id\":\"" + connectionId + "\",\"timestamp\":\"" + now() + "\"}";
        return SseFrame.control("connected", data);
    }

    SseFrame heartbeat() {
        return SseFrame.control("heartbeat", json.write(Map.of("timestamp", now())));
    }

    SseFrame resync(String reason) {
        return SseFrame.control("resync", json.write(Map.of("reason", reason)));
    }

    /**
     * A {@code resync} for a stream that asked for view snapshots, which follow it at once: the client may
     * take them instead of refetching (our extension; other streams get the contract's {@code {"reason"}}).
     */
    SseFrame resyncBeforeSnapshot(String reason) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("reason", reason);
        data.put("snapshot_follows", true);
        return SseFrame.control("resync", json.write(data));
    }

    /** An event for one stream's opening snapshot ({@code init}, a download's current state …). */
    public SseFrame snapshot(String name, Object data) {
        return SseFrame.control(name, json.write(data));
    }

    /**
     * A snapshot read after the replay stream stood at {@code position} (when it holds anything): it carries
     * that id, so the handshake drops the live frames it already reflects and a client that reconnects resumes
     * after it instead of being sent the snapshot again.
     */
    public SseFrame snapshotAt(Optional<EventId> position, String name, Object data) {
        return position.map(id -> SseFrame.event(id, name, json.write(data), null, null, null))
                .orElseGet(() -> snapshot(name, data));
    }

    private static boolean isPlainId(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c == '-')) {
                return false;
            }
        }
        return !id.isEmpty();
    }

    private String now() {
        return Timestamps.format(clock.instant());
    }
}
