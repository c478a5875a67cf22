package io.hermes.realtime.stream;

import io.hermes.realtime.http.Json;
import io.hermes.realtime.http.Timestamps;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the frames the server itself sends: {@code connected}, {@code heartbeat}, {@code resync} and pings. */
public final class ControlFrames {
    static final SseFrame PING = SseFrame.comment("ping");

    private final Json json;
    private final Clock clock;

    public ControlFrames(Json json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    SseFrame connected(String connectionId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("connection_id", connectionId);
        data.put("timestamp", now());
        return SseFrame.control("connected", json.write(data));
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

    private String now() {
        return Timestamps.format(clock.instant());
    }
}
