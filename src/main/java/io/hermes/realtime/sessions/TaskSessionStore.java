package io.hermes.realtime.sessions;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.hermes.realtime.bus.BusEvent;
import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.bus.EventId;
import io.hermes.realtime.bus.EventPublisher;
import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.redis.RedisScript;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.UnifiedJedis;

/**
 * Task sessions in Redis, one hash each ({@code hermes:task:{id}}: {@code state}, {@code status},
 * {@code event_id}), kept {@code HERMES_SESSION_TTL} seconds after the last update.
 *
 * <p>Each change is first published (the replay stream and {@code session:updates}, through
 * {@link EventPublisher} like every event), then saved with the id of that event, by a script that refuses a
 * session already final and a state older than the stored one. So a reader never sees a state whose event it
 * cannot have received, and a stream that opens with the stored state can drop the queued events it covers.
 * Two workers racing to end one session may both publish; only the first is saved, the second gets a 409.
 */
final class TaskSessionStore {
    private static final String PREFIX = "hermes:task:";
    /** The ids we hand out are UUIDs; anything else from a client never reaches a Redis key. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final RedisScript SAVE = RedisScript.load(TaskSessionStore.class, "save.lua");

    private final UnifiedJedis redis;
    private final EventPublisher publisher;
    private final Json json;
    private final Clock clock;
    private final String ttlSeconds;

    TaskSessionStore(UnifiedJedis redis, EventPublisher publisher, Json json, Clock clock, int ttlSeconds) {
        this.redis = redis;
        this.publisher = publisher;
        this.json = json;
        this.clock = clock;
        this.ttlSeconds = Integer.toString(ttlSeconds);
    }

    /** Creates a {@code pending} session of {@code owner}, announced like every later change. */
    TaskSession create(String owner, String title, String metadata) {
        TaskSession session = TaskSession.created(UUID.randomUUID().toString(), owner, title, metadata, clock.instant());
        TaskSession announced = session.announcedBy(publish(session).toString());
        try (AbstractTransaction transaction = redis.multi()) {
            String key = PREFIX + session.id();
            transaction.hset(key, java.util.Map.of("state", json.write(announced.storedForm()),
                    "status", announced.status(), "event_id", announced.eventId()));
            transaction.expire(key, Long.parseLong(ttlSeconds));
            transaction.exec();
        }
        return announced;
    }

    /** The session's current state, empty when it does not exist (or the id could not be one). */
    Optional<TaskSession> find(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        String stored = redis.hget(PREFIX + id, "state");
        if (stored == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(TaskSession.fromStored(json.mapper().readTree(stored)));
        } catch (JsonProcessingException corrupt) {
            throw new IllegalStateException("Unreadable task session " + id, corrupt);
        }
    }

    /**
     * Applies a worker's report: publishes the new state, then saves it.
     *
     * @throws ApiException 404 for no such session, 409 once it is final
     */
    TaskSession update(String id, TaskSession.StatusChange change) {
        TaskSession current = find(id).orElseThrow(() -> ApiException.notFound("Session not found"));
        if (current.isFinal()) {
            throw finalAlready(current.status());
        }
        TaskSession next = current.after(change, clock.instant());
        TaskSession announced = next.announcedBy(publish(next).toString());
        Object saved = SAVE.run(redis, List.of(PREFIX + id),
                List.of(json.write(announced.storedForm()), announced.status(), announced.eventId(), ttlSeconds));
        long outcome = saved instanceof Long number ? number : 1;
        if (outcome == 0) {
            throw finalAlready("final");
        }
        if (outcome == -1) {
            throw ApiException.notFound("Session not found");
        }
        return announced;
    }

    /** The session's state as its {@code session_status} event, for a stream to open with. */
    Optional<BusEvent> currentEvent(String id) {
        return find(id).map(session -> new BusEvent(session.eventId() == null ? null
                : EventId.parse(session.eventId()).orElse(null), Channel.SESSION, Channel.SESSION.eventType(),
                json.write(session.eventData()), session.id(), session.owner(), 0, session.status()));
    }

    private EventId publish(TaskSession session) {
        return publisher.publish(Channel.SESSION, session.eventData(), session.owner());
    }

    private static ApiException finalAlready(String status) {
        return new ApiException(409, "Session is already " + status + "; a final status never changes");
    }
}
