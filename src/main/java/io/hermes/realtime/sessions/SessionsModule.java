package io.hermes.realtime.sessions;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.bus.BusEvent;
import io.hermes.realtime.bus.EventPublisher;
import io.hermes.realtime.http.BodyReader;
import io.hermes.realtime.http.ServletRegistrar;
import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServlet;
import java.time.Clock;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * Builds task sessions (contract section 8) in two steps: {@link #build} before authentication and streams,
 * which ask it who owns a session and where it stands, and {@link #register} once the session stream exists.
 */
public final class SessionsModule {
    private final TaskSessionStore store;
    private final Json json;
    private final EventPublisher publisher;

    private SessionsModule(TaskSessionStore store, Json json, EventPublisher publisher) {
        this.store = store;
        this.json = json;
        this.publisher = publisher;
    }

    /** {@code ttlSeconds}: {@code HERMES_SESSION_TTL}, how long a session is kept after its last update. */
    public static SessionsModule build(UnifiedJedis redis, Json json, Clock clock, EventPublisher publisher,
            int ttlSeconds) {
        return new SessionsModule(new TaskSessionStore(redis, publisher, json, clock, ttlSeconds), json, publisher);
    }

    /**
     * Registers {@code /sessions/*} and {@code /events/publish}. {@code statusStream} serves
     * {@code /sessions/{id}/status/stream}; {@code maxJsonBytes} bounds a session's {@code metadata} and a
     * published event's {@code data} ({@code HERMES_MAX_METADATA_BYTES}).
     */
    public void register(ServletRegistrar servlets, Authenticator authenticator, BodyReader bodies,
            HttpServlet statusStream, int maxJsonBytes) {
        servlets.add("sessions", new SessionsServlet(json, bodies, store, authenticator, statusStream, maxJsonBytes),
                "/sessions/*");
        servlets.add("events-publish", new PublishServlet(json, bodies, publisher, authenticator, maxJsonBytes),
                "/events/publish");
    }

    /** The owner of an existing session, empty for none: a {@code session:ID} token needs one the caller sees. */
    public Optional<String> ownerOf(String id) {
        return store.find(id).map(TaskSession::owner);
    }

    /** A session's current state as its {@code session_status} event, for its stream to open with. */
    public Optional<BusEvent> currentState(String id) {
        return store.currentEvent(id);
    }
}
