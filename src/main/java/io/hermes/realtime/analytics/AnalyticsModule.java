package io.hermes.realtime.analytics;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.http.Json;
import io.hermes.realtime.http.ServletRegistrar;
import io.hermes.realtime.polling.PolledViews;
import io.hermes.realtime.storage.StorageUsage;
import java.time.Clock;
import redis.clients.jedis.UnifiedJedis;

/**
 * Registers {@code /stats}, {@code /timeline}, {@code /timeline/summary} and {@code /history}: read-only
 * reports over the per-day counters and history indexes of the downloads data model. "Today" is the UTC
 * date of {@code clock}.
 */
public final class AnalyticsModule {
    private AnalyticsModule() {
    }

    public static void register(ServletRegistrar servlets, Json json, Authenticator authenticator, UnifiedJedis redis,
            Clock clock, StorageUsage storage, PolledViews views) {
        DayStatsReader days = new DayStatsReader(redis);
        servlets.add("stats", new StatsServlet(json, authenticator, days, storage, clock, views), "/stats");
        // Both timeline paths are exact mappings, so neither shadows the other.
        servlets.add("timeline-summary", TimelineServlet.summary(json, authenticator, days, clock, views),
                "/timeline/summary");
        servlets.add("timeline", TimelineServlet.days(json, authenticator, days, clock, views), "/timeline");
        servlets.add("history", new HistoryServlet(json, authenticator, new HistoryReader(redis), days, clock, views),
                "/history");
    }
}
