package io.hermes.realtime.bus;

import io.hermes.realtime.json.Json;
import io.hermes.realtime.metrics.Metrics;
import io.hermes.realtime.redis.RedisConnections;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Builds the Redis side of events: the publisher (replay stream and pub/sub in one script), the replay
 * log that resuming streams read, and, once there is somewhere to hand events ({@link #subscribe}), the
 * subscriber thread and the probe that times Redis for the metrics.
 */
public final class BusModule implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BusModule.class.getName());
    /** How long a metrics scrape waits for Redis to answer its PING (connect, then reply). */
    private static final int PROBE_TIMEOUT_MILLIS = 500;

    private final RedisConnections connections;
    private final Clock clock;
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final BusMetrics metrics;
    private final EventPublisher publisher;
    private final ReplayLog replay;
    private RedisSubscriber subscriber;
    private RedisProbe probe;

    /** @param replaySize events the replay stream retains, at least ({@code HERMES_SSE_REPLAY_SIZE}) */
    public BusModule(RedisConnections connections, UnifiedJedis redis, Json json, Clock clock, int replaySize,
            Metrics metrics) {
        this.connections = connections;
        this.clock = clock;
        this.metrics = new BusMetrics(metrics);
        this.publisher = new EventPublisher(redis, json, codec, clock, replaySize, this.metrics.publishFailures());
        this.replay = new ReplayLog(redis, codec);
    }

    public EventPublisher publisher() {
        return publisher;
    }

    public ReplayLog replay() {
        return replay;
    }

    /**
     * Builds the subscriber, not started yet, which hands every event to {@code sink} and every revoked
     * credential to {@code revocations}, both counted in the metrics; and the probe.
     *
     * @param watchdogThreads makes the one {@code hermes-redis-watchdog} thread
     */
    public RedisSubscriber subscribe(EventSink sink, RevocationSink revocations, ThreadFactory watchdogThreads) {
        // The subscription's own reads never time out (Jedis sets them infinite while subscribed); the
        // timeout bounds connecting and the catch-up reads.
        subscriber = new RedisSubscriber(connections::single, replay, codec, metrics.counting(sink), revocations,
                clock, watchdogThreads);
        metrics.watch(subscriber, clock);
        probe = new RedisProbe(() -> connections.single(PROBE_TIMEOUT_MILLIS));
        metrics.watch(probe);
        return subscriber;
    }

    /**
     * Starts the subscriber thread and waits up to {@code patience} for its first subscription; when Redis
     * does not answer by then, live events start once it does.
     */
    public void start(Duration patience) {
        try {
            if (!subscriber.start(patience)) {
                LOG.log(Level.WARNING, "Redis pub/sub is not subscribed yet; live events start once it is");
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the subscriber thread and waits for it, so that no event arrives any more. Never throws. */
    public void stopSubscriber() {
        if (subscriber != null) {
            subscriber.shutdown();
        }
    }

    /** Closes the probe's connection; the subscriber is stopped before, by {@link #stopSubscriber}. */
    @Override
    public void close() {
        if (probe != null) {
            probe.close();
        }
    }
}
