package io.hermes.realtime.analytics;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.http.Json;
import io.hermes.realtime.http.ServletRegistrar;
import io.hermes.realtime.storage.StorageUsage;
import java.time.Clock;
import redis.clients.jedis.UnifiedJedis;

/** Registers {@code /stats}, {@code /timeline}, {@code /timeline/summary} and {@code /history}. */
public final class AnalyticsModule {
    private AnalyticsModule() {
    }

    public static void register(ServletRegistrar servlets, Json json, Authenticator authenticator, UnifiedJedis redis,
            Clock clock, StorageUsage storage) {
        // the analytics endpoints arrive with the analytics feature
    }
}
