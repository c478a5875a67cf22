package io.hermes.realtime.metrics;

import io.hermes.realtime.http.BodyReader;
import io.hermes.realtime.http.ServletRegistrar;
import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Registers {@code GET /metrics}, which shows the instance's {@link Metrics}, with the JVM's own heap metrics;
 * and {@code POST /events/fallback}, where dashboard pages report switching to polling and back. The registry
 * itself is built first, by the composition root, so that every feature can register its own metrics in it.
 */
public final class MetricsModule {
    private MetricsModule() {
    }

    /**
     * What the polling-fallback reports need.
     *
     * @param bodies    receives their bodies
     * @param callerOf  authenticates a request with {@code read} (throwing the API's 401 or 403) and names its
     *                  credential, which the limit counts by
     * @param perMinute reports counted per credential per minute ({@code HERMES_FALLBACK_REPORTS_PER_MINUTE})
     */
    public record Reports(BodyReader bodies, Function<HttpServletRequest, String> callerOf, int perMinute) {
    }

    /**
     * @param requireReadKey throws the API's 401 or 403 unless the request carries a key that may read
     * @param allowed        the addresses that may scrape without a key ({@code HERMES_METRICS_ALLOW})
     */
    public static void register(ServletRegistrar servlets, Json json, Metrics metrics,
            Consumer<HttpServletRequest> requireReadKey, AddressAllowList allowed, Reports reports) {
        JvmMetrics.register(metrics);
        // At the root, where Prometheus looks by default, and under the API prefix for proxies that pass only that.
        servlets.addAlsoAtRoot("metrics", new MetricsServlet(json, metrics, requireReadKey, allowed), "/metrics");
        servlets.add("events-fallback", new FallbackReports(json, reports.bodies(), reports.callerOf(),
                new ReportLimit(reports.perMinute(), System::nanoTime), metrics), "/events/fallback");
    }
}
