package io.hermes.realtime.analytics;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.http.ServletRegistrar;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.polling.PolledResponses;
import io.hermes.realtime.polling.PolledView;
import io.hermes.realtime.storage.StorageUsage;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * Registers {@code /stats}, {@code /timeline}, {@code /timeline/summary} and {@code /history}: read-only
 * reports over the per-day counters and history indexes of the downloads data model. "Today" is the UTC
 * date of {@code clock}.
 */
public final class AnalyticsModule {
    private AnalyticsModule() {
    }

    /**
     * Registers the servlets, answering through {@code polledResponses}, and returns the views that stream
     * snapshots may repeat, by snapshot name: {@code stats}, {@code timeline}, {@code timeline_summary}.
     */
    public static Map<String, PolledView> register(ServletRegistrar servlets, Json json, Authenticator authenticator,
            UnifiedJedis redis, Clock clock, StorageUsage storage, PolledResponses polledResponses) {
        DayStatsReader days = new DayStatsReader(redis);
        Map<String, PolledView> views = new LinkedHashMap<>();
        views.put("stats", StatsServlet.view(days, storage, clock));
        views.put("timeline", TimelineServlet.daysView(days, clock));
        views.put("timeline_summary", TimelineServlet.summaryView(days, clock));
        servlets.add("stats", new StatsServlet(json, authenticator, views.get("stats"), polledResponses), "/stats");
        // Both timeline paths are exact mappings, so neither shadows the other.
        servlets.add("timeline-summary", TimelineServlet.summary(json, authenticator, views.get("timeline_summary"),
                polledResponses), "/timeline/summary");
        servlets.add("timeline", TimelineServlet.days(json, authenticator, views.get("timeline"), polledResponses),
                "/timeline");
        servlets.add("history", new HistoryServlet(json, authenticator, new HistoryReader(redis), days, clock,
                polledResponses), "/history");
        return views;
    }
}
