package io.hermes.realtime.bus;

import io.hermes.realtime.metrics.Counter;
import io.hermes.realtime.metrics.Histogram;
import io.hermes.realtime.metrics.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleConsumer;

/**
 * The Redis side's metrics: events received per channel, gaps that forced a resync, failed publications,
 * the subscriber's state and reconnects, and the round trip to Redis. Counters are recorded as things
 * happen; the subscriber and Redis itself are read when scraped.
 */
final class BusMetrics {
    /** Canary round-trip buckets, in seconds: a publish and its return on one host to the canary's margin. */
    static final double[] ROUND_TRIP_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2};

    private final Metrics metrics;
    private final Map<Channel, Counter> received = new EnumMap<>(Channel.class);
    private final Counter resyncs;
    private final Counter publishFailures;
    private final Histogram canaryRoundTrip;
    private final Counter unreplicated;

    BusMetrics(Metrics metrics) {
        this.metrics = metrics;
        for (Channel channel : Channel.values()) {
            received.put(channel, metrics.counter("hermes_bus_events_total",
                    "Events received from Redis and passed on to streams, by channel (live messages and the catch-up"
                            + " after a reconnect; duplicates dropped)", "channel", channel.redisName()));
        }
        resyncs = metrics.counter("hermes_bus_resyncs_total",
                "Times the subscriber found events lost beyond the replay stream and sent every open stream a resync");
        publishFailures = metrics.counter("hermes_bus_publish_failures_total",
                "Events this instance failed to publish to Redis");
        canaryRoundTrip = metrics.histogram("hermes_bus_canary_round_trip_seconds",
                "Time from publishing this instance's delivery canary to hearing it back on its subscription: Redis"
                        + " pub/sub latency as every event sees it", ROUND_TRIP_BUCKETS);
        unreplicated = metrics.counter("hermes_bus_publish_unreplicated_total",
                "Events published while fewer replicas than HERMES_REDIS_WAIT_REPLICAS acknowledged them within"
                        + " HERMES_REDIS_WAIT_TIMEOUT");
    }

    /** Counts publications that returned before enough replicas had them. */
    Counter unreplicated() {
        return unreplicated;
    }

    /** Where the delivery canary reports each round trip, in seconds. */
    DoubleConsumer canaryRoundTrips() {
        return canaryRoundTrip::observe;
    }

    /** Reports Redis's memory as last sampled: NaN until the first sample and after a failed one. */
    void watch(RedisMemory memory) {
        metrics.gauge("hermes_redis_used_memory_bytes",
                "Memory Redis uses (INFO memory: used_memory), sampled every HERMES_REDIS_MEMORY_INTERVAL seconds;"
                        + " NaN when the last sample failed", () -> memory.last().usedBytes());
        metrics.gauge("hermes_redis_max_memory_bytes",
                "Redis's memory limit (INFO memory: maxmemory); 0 means no limit", () -> memory.last().maxBytes());
    }

    /** Counts what {@link EventPublisher} fails to publish. */
    Counter publishFailures() {
        return publishFailures;
    }

    /** Wraps the subscriber's sink so that what passes through it is counted; adds no work per client. */
    EventSink counting(EventSink sink) {
        return new EventSink() {
            @Override
            public void deliver(BusEvent event) {
                received.get(event.channel()).increment();
                sink.deliver(event);
            }

            @Override
            public void resync(String reason) {
                resyncs.increment();
                sink.resync(reason);
            }
        };
    }

    /** Reports the subscriber's state, reconnects and the age of its last message, read at each scrape. */
    void watch(RedisSubscriber subscriber, Clock clock) {
        for (RedisSubscriber.State state : RedisSubscriber.State.values()) {
            metrics.gauge("hermes_bus_subscriber_state",
                    "1 for the state the Redis subscriber is in (subscribed, reconnecting …), 0 for the others",
                    "state", state.name().toLowerCase(Locale.ROOT), () -> subscriber.state() == state ? 1 : 0);
        }
        metrics.counter("hermes_bus_subscriber_reconnects_total",
                "Times the Redis subscriber lost its connection and started reconnecting", subscriber::reconnects);
        metrics.gauge("hermes_bus_last_message_age_seconds",
                "Seconds since the subscriber last received a message from Redis (NaN before the first); grows on a"
                        + " quiet system too", () -> ageSeconds(subscriber.lastMessageAt(), clock));
    }

    /** Reports how long ago the delivery canary last came back, and how many did not. */
    void watch(DeliveryCanary canary) {
        metrics.gauge("hermes_bus_canary_age_seconds",
                "Seconds since this instance's delivery canary last came back through Redis pub/sub (since start"
                        + " before the first); beyond HERMES_CANARY_INTERVAL + 2 the instance reports unhealthy",
                canary::ageSeconds);
        metrics.counter("hermes_bus_canary_failures_total",
                "Delivery canaries not back when the next was due, or not published", canary::failures);
    }

    /** Reports whether Redis answers a PING and how long it took: one PING at each scrape. */
    void watch(RedisProbe probe) {
        metrics.beforeEachScrape(probe::measure);
        metrics.gauge("hermes_redis_up", "1 if Redis answered a PING at this scrape, 0 if not",
                () -> probe.last().up() ? 1 : 0);
        metrics.gauge("hermes_redis_ping_seconds",
                "Round trip of a PING to Redis at this scrape; NaN when Redis did not answer in time",
                () -> probe.last().seconds());
    }

    /** Seconds from {@code then} to now, or NaN when there was no then. */
    static double ageSeconds(Instant then, Clock clock) {
        return then == null ? Double.NaN : Duration.between(then, clock.instant()).toMillis() / 1000.0;
    }
}
