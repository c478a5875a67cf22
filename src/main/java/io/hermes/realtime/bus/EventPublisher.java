package io.hermes.realtime.bus;

import io.hermes.realtime.json.Json;
import io.hermes.realtime.metrics.Counter;
import io.hermes.realtime.redis.RedisScript;
import io.hermes.realtime.redis.ReplicaWait;
import java.time.Clock;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * Publishes an event so that it is replayable and live in one atomic step: a Lua script appends the
 * envelope to the bounded replay stream and PUBLISHes it, with the new stream id, on its channel. No
 * client can see an event live that a resuming client could not replay.
 */
public final class EventPublisher {
    /** The replay stream, shared by every channel so one id orders all events. */
    public static final String REPLAY_STREAM = "hermes:events";

    /* A resource, so workers in other languages run the very same file (the README shows how). */
    private static final RedisScript SCRIPT = RedisScript.load(EventPublisher.class, "publish.lua");

    private final UnifiedJedis redis;
    private final Json json;
    private final EnvelopeCodec codec;
    private final Clock clock;
    private final String retained;
    private final Counter failures;
    private final ReplicaWait replicas;
    private final Counter unreplicated;

    /** A publisher whose failures nobody counts (tests, tools), waiting for no replica. */
    public EventPublisher(UnifiedJedis redis, Json json, EnvelopeCodec codec, Clock clock, int replaySize) {
        this(redis, json, codec, clock, replaySize, new Counter(), ReplicaWait.NONE, new Counter());
    }

    /**
     * @param failures     counts publications that did not reach Redis (the caller sees the exception)
     * @param replicas     what each publication waits for after the script ({@code HERMES_REDIS_WAIT_REPLICAS})
     * @param unreplicated counts publications that returned before that many replicas had them
     */
    public EventPublisher(UnifiedJedis redis, Json json, EnvelopeCodec codec, Clock clock, int replaySize,
            Counter failures, ReplicaWait replicas, Counter unreplicated) {
        this.redis = redis;
        this.json = json;
        this.codec = codec;
        this.clock = clock;
        this.retained = Integer.toString(replaySize);
        this.failures = failures;
        this.replicas = replicas;
        this.unreplicated = unreplicated;
    }

    /** Publishes {@code data} (serialised to a JSON object) with the channel's own event type. */
    public EventId publish(Channel channel, Object data) {
        return publishJson(channel, channel.eventType(), json.write(data), null);
    }

    /** Publishes an event about a download of {@code owner}; non-admin streams of other owners never see it. */
    public EventId publish(Channel channel, Object data, String owner) {
        return publishJson(channel, channel.eventType(), json.write(data), owner);
    }

    /** Publishes an already-serialised JSON object as the envelope's data. */
    public EventId publishJson(Channel channel, String type, String dataJson, String owner) {
        String envelope = codec.encode(type, dataJson, clock.instant(), owner);
        List<String> keys = List.of(REPLAY_STREAM);
        List<String> args = List.of(retained, channel.redisName(), envelope);
        Object id;
        try {
            if (replicas.enabled()) {
                RedisScript.Replicated replicated = SCRIPT.runReplicated(redis, keys, args, replicas);
                id = replicated.result();
                if (replicated.replicas() < replicas.replicas()) {
                    unreplicated.increment();
                }
            } else {
                id = SCRIPT.run(redis, keys, args);
            }
        } catch (RuntimeException failed) {
            failures.increment();
            throw failed;
        }
        String text = String.valueOf(id);
        return EventId.parse(text)
                .orElseThrow(() -> new IllegalStateException("Redis returned a malformed stream id: " + text));
    }
}
