package io.hermes.bench;

import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.bus.EnvelopeCodec;
import io.hermes.realtime.bus.EventPublisher;
import io.hermes.realtime.json.Json;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.JedisPooled;

/** Publishes {@code queue_update} events through the server's own publish path into Redis. */
final class HermesSink implements EventSink {
    private final JedisPooled redis;
    private final EventPublisher publisher;

    HermesSink(URI redisUrl, Json json, int replaySize) {
        this.redis = new JedisPooled(redisUrl);
        this.publisher = new EventPublisher(redis, json, new EnvelopeCodec(), Clock.systemUTC(), replaySize);
    }

    /** Round trips to Redis that publish nothing: a warm-up event would reach real subscribers. */
    @Override
    public void warmUp() {
        for (int i = 0; i < 200; i++) {
            redis.eval("return ARGV[1]", List.of(), List.of("warm-up"));
        }
    }

    @Override
    public void publish(Map<String, Object> data) {
        publisher.publish(Channel.QUEUE, data);
    }

    @Override
    public void close() {
        redis.close();
    }
}
