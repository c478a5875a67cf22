package io.hermes.realtime.health;

import io.hermes.realtime.http.ServletRegistrar;
import io.hermes.realtime.json.Json;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import redis.clients.jedis.UnifiedJedis;

/** Registers {@code /health} and {@code /health/detailed}, open to everyone, for load balancers and probes. */
public final class HealthModule {
    private HealthModule() {
    }

    /**
     * @param version     the build's version, shown in both answers
     * @param environment     {@code production}, or {@code development} when the server started its own Redis
     * @param deliveryProblem why events published through Redis may not reach this instance (the bus's
     *                        delivery canary), or empty
     */
    public static void register(ServletRegistrar servlets, Json json, UnifiedJedis redis, Clock clock, String version,
            String environment, java.util.Map<String, Object> ytDlp, Supplier<Optional<String>> deliveryProblem) {
        servlets.add("health", new HealthServlet(json, redis, clock, version, environment, false, ytDlp,
                deliveryProblem), "/health");
        servlets.add("health-detailed", new HealthServlet(json, redis, clock, version, environment, true, ytDlp,
                deliveryProblem), "/health/detailed");
    }
}
