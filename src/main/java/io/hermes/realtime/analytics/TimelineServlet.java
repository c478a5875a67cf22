package io.hermes.realtime.analytics;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.auth.Caller;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.polling.DataSet;
import io.hermes.realtime.polling.PolledResponses;
import io.hermes.realtime.polling.PolledView;
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
 * this servlet, one per path, each with its view.
 */
final class TimelineServlet extends ApiServlet {
    private final transient Authenticator authenticator;
    private final transient PolledView view;
    private final transient PolledResponses responses;
    /** The view's name in its {@link ViewKey}. */
    private final String name;

    private TimelineServlet(Json json, Authenticator authenticator, PolledView view, PolledResponses responses,
            String name) {
        super(json);
        this.authenticator = authenticator;
        this.view = view;
        this.responses = responses;
        this.name = name;
    }

    /** {@code GET /timeline}, answering {@code view} ({@link #daysView}). */
    static TimelineServlet days(Json json, Authenticator authenticator, PolledView view, PolledResponses responses) {
        return new TimelineServlet(json, authenticator, view, responses, "timeline");
    }

    /** {@code GET /timeline/summary}, answering {@code view} ({@link #summaryView}). */
    static TimelineServlet summary(Json json, Authenticator authenticator, PolledView view, PolledResponses responses) {
        return new TimelineServlet(json, authenticator, view, responses, "timeline-summary");
    }

    /** {@code /timeline}'s answer, which the stream snapshot {@code timeline} repeats. */
    static PolledView daysView(DayStatsReader reader, Clock clock) {
        return view(reader, clock, false);
    }

    /** {@code /timeline/summary}'s answer, which the stream snapshot {@code timeline_summary} repeats. */
    static PolledView summaryView(DayStatsReader reader, Clock clock) {
        return view(reader, clock, true);
    }

    private static PolledView view(DayStatsReader reader, Clock clock, boolean summary) {
        return (owner, parameters) -> {
            AnalyticsQuery query = new AnalyticsQuery(parameters);
            Period period = query.period();
            String status = query.status();
            DateRange range = query.range(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC), period.days());
            Scope scope = Scope.of(owner);
            // Explicit dates override the period, so the summary says "custom" rather than a period not used.
            String label = query.hasDates() ? "custom" : period.wireName();
            return PolledView.Prepared.of(() -> {
                List<DayStats> days = reader.read(scope, range);
                return summary ? Timeline.summarize(days, status, label) : Timeline.days(days, status);
            }, scope.owner(), range.start(), range.end(), status, summary ? label : null);
        };
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = authenticator.authenticate(request, "read");
        responses.respond(request, response, DataSet.HISTORY, name, view, caller.ownerFilter());
    }
}
