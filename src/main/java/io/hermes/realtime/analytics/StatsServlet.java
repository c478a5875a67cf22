package io.hermes.realtime.analytics;

import io.hermes.realtime.analytics.Totals.ErrorShare;
import io.hermes.realtime.analytics.Totals.ExtractorShare;
import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.auth.Caller;
import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.polling.DataSet;
import io.hermes.realtime.polling.PolledResponses;
import io.hermes.realtime.polling.PolledView;
import io.hermes.realtime.storage.StorageUsage;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * {@code GET /stats?period=day|week|month|year}: totals of the caller's terminal downloads over the last
 * days of the period (UTC, today included), from the per-day counters. {@code totalStorageUsed} is the
 * size of the whole download directory, the same number {@code GET /storage} shows every reader.
 */
final class StatsServlet extends ApiServlet {
    private final transient Authenticator authenticator;
    private final transient PolledView view;
    private final transient PolledResponses responses;

    StatsServlet(Json json, Authenticator authenticator, PolledView view, PolledResponses responses) {
        super(json);
        this.authenticator = authenticator;
        this.view = view;
        this.responses = responses;
    }

    /** The body, field for field as the contract lists it. */
    record Body(String period, long totalDownloads, long successfulDownloads, long failedDownloads, double successRate,
            double averageDownloadTime, long totalBandwidthUsed, List<ExtractorShare> popularExtractors,
            List<ErrorShare> errorBreakdown, Integer peakHour, long totalStorageUsed) {
    }

    /**
     * The statistics' answer, which the stream snapshot {@code stats} repeats. Today's date and the download
     * directory's size are fixed while preparing: Redis does not version them, so they are part of the identity.
     */
    static PolledView view(DayStatsReader reader, StorageUsage storage, Clock clock) {
        return (owner, parameters) -> {
            Period period = new AnalyticsQuery(parameters).period();
            LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
            long storageUsed;
            try {
                storageUsed = storage.downloadsSize();
            } catch (UncheckedIOException unreadable) {
                throw ApiException.unavailable("Storage information is temporarily unavailable");
            }
            Scope scope = Scope.of(owner);
            return PolledView.Prepared.of(() -> {
                Totals totals = Totals.of(reader.read(scope, period.endingOn(today)));
                return new Body(period.wireName(), totals.total(), totals.completed(), totals.failed(),
                        totals.successRate(), totals.averageDownloadTime(), totals.bytes(), totals.popularExtractors(),
                        totals.errorBreakdown(), totals.peakHour(), storageUsed);
            }, scope.owner(), period, today, storageUsed);
        };
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = authenticator.authenticate(request, "read");
        responses.respond(request, response, DataSet.HISTORY, "stats", view, caller.ownerFilter());
    }
}
