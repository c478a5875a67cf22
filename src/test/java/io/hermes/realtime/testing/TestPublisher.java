package io.hermes.realtime.testing;

import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.bus.EnvelopeCodec;
import io.hermes.realtime.bus.EventId;
import io.hermes.realtime.bus.EventPublisher;
import io.hermes.realtime.json.Json;
import java.time.Clock;
import java.util.Map;
import redis.clients.jedis.JedisPooled;

/** Publishes through the production {@link EventPublisher}, as another instance or a worker would. */
public final class TestPublisher implements AutoCloseable {
    private final JedisPooled redis;
    private final EventPublisher publisher;

    public TestPublisher(TestRedis server, int replaySize) {
        this.redis = new JedisPooled(server.url());
        this.publisher = new EventPublisher(redis, new Json(), new EnvelopeCodec(), Clock.systemUTC(), replaySize);
    }

    public TestPublisher(TestRedis server) {
        this(server, 10_000);
    }

    /** Publishes a {@code queue_update} whose data carries a sequence number. */
    public EventId queueUpdate(int sequence) {
        return publisher.publish(Channel.QUEUE, Map.of("action", "status_changed", "download_id", "d" + sequence,
                "status", "queued", "seq", sequence));
    }

    public EventId publish(Channel channel, Object data) {
        return publisher.publish(channel, data);
    }

    /** Publishes an event about a download that belongs to {@code owner}. */
    public EventId publish(Channel channel, Object data, String owner) {
        return publisher.publish(channel, data, owner);
    }

    @Override
    public void close() {
        redis.close();
    }
}
