package io.hermes.realtime.stream;

import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.http.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /events/health}: whether SSE is on and how many streams this instance holds. */
public final class EventsHealthServlet extends ApiServlet {
    private final transient ConnectionRegistry registry;
    private final boolean enabled;
    private final int heartbeatSeconds;

    public EventsHealthServlet(Json json, ConnectionRegistry registry, boolean enabled, int heartbeatSeconds) {
        super(json);
        this.registry = registry;
        this.enabled = enabled;
        this.heartbeatSeconds = heartbeatSeconds;
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("enabled", enabled);
        body.put("active_connections", registry.activeConnections());
        body.put("max_connections", registry.maxConnections());
        body.put("heartbeat_interval", heartbeatSeconds);
        json.respond(response, 200, body);
    }
}
