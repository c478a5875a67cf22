package io.hermes.realtime.health;

import io.hermes.realtime.http.ServletRegistrar;
import io.hermes.realtime.json.Json;
import java.time.Clock;
import redis.clients.jedis.UnifiedJedis;

/** Registers {@code /health} and {@code /health/detailed}, open to everyone, for load balancers and probes. */
public final class HealthModule {
    private HealthModule() {
    }

    /**
     * @param version     the build's version, shown in both answers
     * @param environment {@code production}, or {@code development} when the server started its own Redis
     */
    public static void register(ServletRegistrar servlets, Json json, UnifiedJedis redis, Clock clock, String version,
            String environment, java.util.Map<String, Object> ytDlp) {
        servlets.add("health", new HealthServlet(json, redis, clock, version, environment, false, ytDlp), "/health");
        servlets.add("health-detailed", new HealthServlet(json, redis, clock, version, environment, true, ytDlp),
                "/health/detailed");
    }
}
