package io.hermes.realtime.metrics;

import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.http.BodyReader;
import io.hermes.realtime.http.RequestBody;
import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code POST /events/fallback} {@code {"state": "polling"|"streaming"}}: the dashboard page reports that it
 * switched from its event stream to polling, or back. The server cannot see this itself (a page that polls
 * is just another REST client), and how often it happens is how well streams serve browsers. Counted into
 * {@code hermes_client_fallback_reports_total{state}}; nothing is stored.
 *
 * <p>A caller with {@code read} may report, at most {@code HERMES_FALLBACK_REPORTS_PER_MINUTE} times a minute
 * per credential on each instance (429 beyond), so one client cannot make the counter say what it likes.
 */
final class FallbackReports extends ApiServlet {
    static final Set<String> STATES = Set.of("polling", "streaming");

    /** Authenticates with {@code read} (or throws 401/403) and names the caller's credential, for the limit. */
    private final transient Function<HttpServletRequest, String> callerOf;
    private final transient ReportLimit limit;
    private final transient Map<String, Counter> counters;

    FallbackReports(Json json, BodyReader bodies, Function<HttpServletRequest, String> callerOf, ReportLimit limit,
            Metrics metrics) {
        super(json, bodies);
        this.callerOf = callerOf;
        this.limit = limit;
        this.counters = Map.of(
                "polling", register(metrics, "polling"),
                "streaming", register(metrics, "streaming"));
    }

    private static Counter register(Metrics metrics, String state) {
        return metrics.counter("hermes_client_fallback_reports_total",
                "Reports from dashboard pages that they switched to polling (state=polling) or back to their event"
                        + " stream (state=streaming), at most HERMES_FALLBACK_REPORTS_PER_MINUTE per credential",
                "state", state);
    }

    @Override
    protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String caller = callerOf.apply(request);
        RequestBody body = RequestBody.read(json, request);
        String state = body.oneOf("state", STATES, null);
        if (state == null) {
            throw ApiException.invalid("Field 'state' is required");
        }
        // Only reports that would count use up the caller's allowance; a refused one changes nothing anyway.
        long waitSeconds = limit.acquire(caller);
        if (waitSeconds > 0) {
            throw new ApiException(429, "Too many fallback reports; try again later",
                    Map.of("Retry-After", Long.toString(waitSeconds)));
        }
        counters.get(state).increment();
        response.setStatus(204);
    }
}
