package io.hermes.realtime.stream;

import io.hermes.realtime.bus.DeliveryCanary;
import io.hermes.realtime.bus.RedisSubscriber;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /events/health}: whether SSE is on and how many streams this instance holds (the contract's
 * fields), then how its Redis subscriber is doing: its state, reconnects, and the age of the last message
 * it received (which also grows while nothing is published), and whether its delivery canary comes back
 * ({@code delivery}: {@code healthy} or {@code unhealthy}, with the canary's age).
 */
final class EventsHealthServlet extends ApiServlet {
    private final transient ConnectionRegistry registry;
    private final transient RedisSubscriber subscriber;
    private final transient DeliveryCanary canary;
    private final transient Clock clock;
    private final boolean enabled;
    private final int heartbeatSeconds;

    public EventsHealthServlet(Json json, ConnectionRegistry registry, RedisSubscriber subscriber, DeliveryCanary canary, Clock clock,
            boolean enabled, int heartbeatSeconds) {
        super(json);
        this.registry = registry;
        this.subscriber = subscriber;
        this.canary = canary;
        this.clock = clock;
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
        body.put("subscriber_state", subscriber.state().name().toLowerCase(Locale.ROOT));
        body.put("subscriber_reconnects", subscriber.reconnects());
        Instant lastMessage = subscriber.lastMessageAt();
        body.put("last_message_age_seconds", lastMessage == null ? null
                : Duration.between(lastMessage, clock.instant()).toMillis() / 1000.0);
        body.put("delivery", canary.problem().isEmpty() ? "healthy" : "unhealthy");
        body.put("canary_age_seconds", Math.round(canary.ageSeconds() * 1000) / 1000.0);
        respond(response, 200, body);
    }
}
