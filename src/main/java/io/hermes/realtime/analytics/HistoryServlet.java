package io.hermes.realtime.analytics;

import io.hermes.realtime.analytics.HistoryReader.Item;
import io.hermes.realtime.analytics.HistoryReader.Page;
import io.hermes.realtime.analytics.Totals.ExtractorShare;
import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.auth.Caller;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.polling.DataSet;
import io.hermes.realtime.polling.PolledResponses;
import io.hermes.realtime.polling.ViewKey;
import io.hermes.realtime.http.QueryParams;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * {@code GET /history}: a page of the caller's terminal downloads, newest first, plus aggregate figures.
 *
 * <p>The items are filtered by {@code start_date}/{@code end_date} on completion time (whole UTC days,
 * inclusive; an absent bound is open), {@code status} and {@code extractor}; see {@link HistoryReader} for
 * the bound on filtered scans. The aggregates ({@code totalDownloads} … {@code dailyStats}) come from the
 * per-day counters over the requested days (by default the last {@value #DEFAULT_DAYS}, at most
 * {@value DateRange#MAX_DAYS}); those counters know nothing of single downloads, so the aggregates ignore
 * {@code status} and {@code extractor}.
 */
final class HistoryServlet extends ApiServlet {
    static final int DEFAULT_DAYS = 30;
    static final int MAX_LIMIT = 100;
    static final int DEFAULT_LIMIT = 20;
    /** Hosts are at most 253 characters; anything longer cannot match. */
    static final int MAX_EXTRACTOR_LENGTH = 255;

    private final transient Authenticator authenticator;
    private final transient HistoryReader history;
    private final transient DayStatsReader days;
    private final transient Clock clock;
    private final transient PolledResponses responses;

    HistoryServlet(Json json, Authenticator authenticator, HistoryReader history, DayStatsReader days, Clock clock,
            PolledResponses responses) {
        super(json);
        this.responses = responses;
        this.authenticator = authenticator;
        this.history = history;
        this.days = days;
        this.clock = clock;
    }

    /** The body, field for field as the contract lists it. */
    record Body(List<Item> items, long totalItems, int page, int perPage, long totalDownloads, double successRate,
            double averageDownloadTime, long totalSize, List<ExtractorShare> popularExtractors,
            List<Timeline.Day> dailyStats) {
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = authenticator.authenticate(request, "read");
        AnalyticsQuery query = AnalyticsQuery.of(request);
        int limit = QueryParams.integer(request, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        int offset = QueryParams.integer(request, "offset", 0, Integer.MAX_VALUE, 0);
        String status = query.status();
        String extractor = query.text("extractor", MAX_EXTRACTOR_LENGTH);
        DateRange range = query.range(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC), DEFAULT_DAYS);
        String minScore = query.raw(AnalyticsQuery.START_DATE) == null ? "-inf" : Long.toString(range.startMillis());
        String maxScore = query.raw(AnalyticsQuery.END_DATE) == null ? "+inf" : Long.toString(range.endMillis());

        Scope scope = Scope.of(caller);
        ViewKey key = ViewKey.of(DataSet.HISTORY, "history").with(scope.owner()).with(minScore).with(maxScore)
                .with(status).with(extractor).with(offset).with(limit).with(range.start()).with(range.end());
        responses.respond(request, response, key, () -> {
            Page page = history.read(scope, minScore, maxScore, status, extractor, offset, limit);
            List<DayStats> daily = days.read(scope, range);
            Totals totals = Totals.of(daily);
            return new Body(page.items(), page.totalItems(), offset / limit + 1, limit, totals.total(),
                    totals.successRate(), totals.averageDownloadTime(), totals.bytes(), totals.popularExtractors(),
                    Timeline.days(daily, null));
        });
    }
}
