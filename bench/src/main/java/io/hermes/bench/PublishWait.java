package io.hermes.bench;

import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.bus.EnvelopeCodec;
import io.hermes.realtime.bus.EventPublisher;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.metrics.Counter;
import io.hermes.realtime.redis.ReplicaWait;
import java.net.URI;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;
import redis.clients.jedis.JedisPooled;

/**
 * What {@code HERMES_REDIS_WAIT_REPLICAS} costs a publication: the production {@link EventPublisher} against
 * a master (with its replica), one publication at a time, timed end to end, without and with WAIT.
 *
 * <pre>
 * java -cp hermes-bench.jar io.hermes.bench.PublishWait --redis redis://127.0.0.1:6379 --count 20000 \
 *     --replicas 1 --timeout 100
 * </pre>
 * Prints one line: replicas, timeout, count, mean, p50, p90, p99, p99.9 and max in microseconds, and how many
 * publications returned before enough replicas had them.
 */
public final class PublishWait {
    private static final int WARM_UP = 2000;

    private PublishWait() {
    }

    public static void main(String[] argv) {
        Args args = new Args(argv, Set.of("redis", "count", "replicas", "timeout"));
        URI redis = URI.create(args.text("redis", "redis://127.0.0.1:6379"));
        int count = args.integer("count", 20_000, 1, 10_000_000);
        ReplicaWait wait = new ReplicaWait(args.integer("replicas", 0, 0, 16), args.integer("timeout", 100, 1, 60_000));
        Counter unreplicated = new Counter();
        Histogram micros = new Histogram(60_000_000L, 3);
        try (JedisPooled pool = new JedisPooled(redis)) {
            EventPublisher publisher = new EventPublisher(pool, new Json(), new EnvelopeCodec(), Clock.systemUTC(),
                    10_000, new Counter(), wait, unreplicated);
            for (int i = 0; i < WARM_UP + count; i++) {
                long start = System.nanoTime();
                publisher.publish(Channel.QUEUE, Map.of("action", "status_changed", "download_id", "bench-" + i,
                        "status", "queued", "seq", i));
                long took = (System.nanoTime() - start) / 1000;
                if (i >= WARM_UP) {
                    micros.recordValue(Math.max(1, took));
                }
            }
        }
        System.out.printf(Locale.ROOT, "replicas %d timeout_ms %d count %d mean_us %.1f p50_us %d p90_us %d p99_us %d"
                        + " p999_us %d max_us %d unreplicated %d%n", wait.replicas(), wait.timeoutMillis(), count,
                micros.getMean(), micros.getValueAtPercentile(50), micros.getValueAtPercentile(90),
                micros.getValueAtPercentile(99), micros.getValueAtPercentile(99.9), micros.getMaxValue(),
                unreplicated.value());
    }
}
