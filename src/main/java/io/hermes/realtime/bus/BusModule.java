package io.hermes.realtime.bus;

import io.hermes.realtime.json.Json;
import io.hermes.realtime.metrics.Metrics;
import io.hermes.realtime.redis.RedisConnections;
import io.hermes.realtime.redis.ReplicaWait;
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
    private final UnifiedJedis redis;
    private final Duration canaryInterval;
    private RedisSubscriber subscriber;
    private DeliveryCanary canary;
    private RedisProbe probe;
    private RedisMemory memory;

    /**
     * @param replaySize     events the replay stream retains, at least ({@code HERMES_SSE_REPLAY_SIZE})
     * @param canaryInterval time between delivery canaries ({@code HERMES_CANARY_INTERVAL})
     * @param replicas       what each publication waits for ({@code HERMES_REDIS_WAIT_REPLICAS}, {@code _TIMEOUT})
     */
    public BusModule(RedisConnections connections, UnifiedJedis redis, Json json, Clock clock, int replaySize,
            Duration canaryInterval, ReplicaWait replicas, Metrics metrics) {
        this.connections = connections;
        this.redis = redis;
        this.canaryInterval = canaryInterval;
        this.clock = clock;
        this.metrics = new BusMetrics(metrics);
        this.publisher = new EventPublisher(redis, json, codec, clock, replaySize, this.metrics.publishFailures(),
                replicas, this.metrics.unreplicated());
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
     * credential to {@code revocations}, both counted in the metrics; the delivery canary it hears; and
     * the probe.
     *
     * @param watchdogThreads makes the one {@code hermes-redis-watchdog} thread
     * @param canaryThreads   makes the one {@code hermes-bus-canary} thread
     */
    public RedisSubscriber subscribe(EventSink sink, RevocationSink revocations, ThreadFactory watchdogThreads,
            ThreadFactory canaryThreads) {
        String instance = Long.toHexString(new java.security.SecureRandom().nextLong());
        canary = new DeliveryCanary(instance, canaryInterval, redis::publish,
                () -> subscriber.resubscribe("no delivery canary came back"), System::nanoTime, canaryThreads,
                metrics.canaryRoundTrips());
        // The subscription's own reads never time out (Jedis sets them infinite while subscribed); the
        // timeout bounds connecting and the catch-up reads.
        subscriber = new RedisSubscriber(connections::single, replay, codec, metrics.counting(sink), revocations,
                clock, watchdogThreads, canary);
        metrics.watch(subscriber, clock);
        metrics.watch(canary);
        probe = new RedisProbe(() -> connections.single(PROBE_TIMEOUT_MILLIS));
        metrics.watch(probe);
        return subscriber;
    }

    /**
     * Samples Redis's memory ({@code INFO memory}) every {@code interval} on the one {@code hermes-redis-memory}
     * thread {@code threads} makes, from {@link #start} until {@link #close}, for the metrics.
     */
    public void sampleRedisMemory(Duration interval, ThreadFactory threads) {
        memory = new RedisMemory(() -> connections.single(PROBE_TIMEOUT_MILLIS), interval, threads);
        metrics.watch(memory);
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
        canary.start();
        if (memory != null) {
            memory.start();
        }
    }

    /** Whether this instance's subscription hears what is published: for health checks. */
    public DeliveryCanary canary() {
        return canary;
    }

    /** Stops the canary, then the subscriber thread, and waits for both; no event arrives any more. Never throws. */
    public void stopSubscriber() {
        if (canary != null) {
            canary.stop();
        }
        if (subscriber != null) {
            subscriber.shutdown();
        }
    }

    /**
     * Stops the memory sampler and closes its and the probe's connections; the subscriber is stopped before,
     * by {@link #stopSubscriber}.
     */
    @Override
    public void close() {
        if (memory != null) {
            memory.close();
        }
        if (probe != null) {
            probe.close();
        }
    }
}
