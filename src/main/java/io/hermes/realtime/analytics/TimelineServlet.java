package io.hermes.realtime.analytics;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.auth.Caller;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.http.Json;
import io.hermes.realtime.polling.DataSet;
import io.hermes.realtime.polling.PolledViews;
import io.hermes.realtime.polling.ViewKey;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * {@code GET /timeline} (one entry per day) and {@code GET /timeline/summary} (their summary): the same
 * parameters, {@code period} or {@code start_date}/{@code end_date}, and {@code status}; two instances of
 * this servlet, one per path.
 */
final class TimelineServlet extends ApiServlet {
    private final transient Authenticator authenticator;
    private final transient DayStatsReader reader;
    private final transient Clock clock;
    private final transient PolledViews views;
    private final boolean summary;

    private TimelineServlet(Json json, Authenticator authenticator, DayStatsReader reader, Clock clock,
            PolledViews views, boolean summary) {
        super(json);
        this.views = views;
        this.authenticator = authenticator;
        this.reader = reader;
        this.clock = clock;
        this.summary = summary;
    }

    static TimelineServlet days(Json json, Authenticator authenticator, DayStatsReader reader, Clock clock,
            PolledViews views) {
        return new TimelineServlet(json, authenticator, reader, clock, views, false);
    }

    static TimelineServlet summary(Json json, Authenticator authenticator, DayStatsReader reader, Clock clock,
            PolledViews views) {
        return new TimelineServlet(json, authenticator, reader, clock, views, true);
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = authenticator.authenticate(request, "read");
        AnalyticsQuery query = AnalyticsQuery.of(request);
        Period period = query.period();
        String status = query.status();
        DateRange range = query.range(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC), period.days());
        Scope scope = Scope.of(caller);
        // Explicit dates override the period, so the summary says "custom" rather than a period not used.
        String label = query.hasDates() ? "custom" : period.wireName();
        ViewKey key = ViewKey.of(DataSet.HISTORY, summary ? "timeline-summary" : "timeline").with(scope.owner())
                .with(range.start()).with(range.end()).with(status).with(summary ? label : null);
        views.respond(request, response, key, () -> {
            List<DayStats> days = reader.read(scope, range);
            return summary ? Timeline.summarize(days, status, label) : Timeline.days(days, status);
        });
    }
}
