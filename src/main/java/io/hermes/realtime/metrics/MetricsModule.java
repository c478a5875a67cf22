package io.hermes.realtime.metrics;

import io.hermes.realtime.http.ServletRegistrar;
import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import java.util.function.Consumer;

/**
 * Registers {@code GET /metrics}, which shows the instance's {@link Metrics}. The registry itself is built
 * first, by the composition root, so that every feature can register its own metrics in it.
 */
public final class MetricsModule {
    private MetricsModule() {
    }

    /**
     * @param requireReadKey throws the API's 401 or 403 unless the request carries a key that may read
     * @param allowed        the addresses that may scrape without a key ({@code HERMES_METRICS_ALLOW})
     */
    public static void register(ServletRegistrar servlets, Json json, Metrics metrics,
            Consumer<HttpServletRequest> requireReadKey, AddressAllowList allowed) {
        // At the root, where Prometheus looks by default, and under the API prefix for proxies that pass only that.
        servlets.addAlsoAtRoot("metrics", new MetricsServlet(json, metrics, requireReadKey, allowed), "/metrics");
    }
}
