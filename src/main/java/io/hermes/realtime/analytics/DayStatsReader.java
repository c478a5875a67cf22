package io.hermes.realtime.analytics;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * Reads the per-day counter hashes of a date range in one pipelined round trip: one {@code HGETALL} per
 * day, at most {@value DateRange#MAX_DAYS}. The counters are kept by whoever records terminal downloads,
 * so no report ever scans the downloads themselves.
 */
final class DayStatsReader {
    private final UnifiedJedis redis;

    DayStatsReader(UnifiedJedis redis) {
        this.redis = redis;
    }

    /** Every day of {@code range}, oldest first; days without a hash are all zeros. */
    List<DayStats> read(Scope scope, DateRange range) {
        List<LocalDate> days = range.days();
        List<Response<Map<String, String>>> hashes = new ArrayList<>(days.size());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (LocalDate day : days) {
                hashes.add(pipeline.hgetAll(scope.statsKey(day)));
            }
            pipeline.sync();
        }
        List<DayStats> stats = new ArrayList<>(days.size());
        for (int i = 0; i < days.size(); i++) {
            Map<String, String> hash = hashes.get(i).get();
            stats.add(hash == null || hash.isEmpty() ? DayStats.empty(days.get(i)) : DayStats.parse(days.get(i), hash));
        }
        return stats;
    }
}
