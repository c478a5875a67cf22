package io.hermes.realtime.analytics;

import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.http.QueryParams;
import jakarta.servlet.http.HttpServletRequest;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Function;

/**
 * The query parameters the analytics endpoints share, validated: every bad value is a 422 whose message
 * names the parameter. Empty values count as absent and nothing is trimmed, as in {@link QueryParams}.
 */
final class AnalyticsQuery {
    static final String START_DATE = "start_date";
    static final String END_DATE = "end_date";
    static final String STATUS = "status";
    /** The terminal statuses, the only ones analytics knows about. */
    static final List<String> TERMINAL = List.of("completed", "failed", "cancelled");

    private final Function<String, String> parameters;

    AnalyticsQuery(Function<String, String> parameters) {
        this.parameters = parameters;
    }

    static AnalyticsQuery of(HttpServletRequest request) {
        return new AnalyticsQuery(request::getParameter);
    }

    /** The value as sent, or {@code null} when absent or empty. */
    String raw(String name) {
        return QueryParams.raw(parameters, name);
    }

    Period period() {
        return Period.parse(raw(Period.PARAMETER));
    }

    /** Whether the caller chose the days with {@code start_date} or {@code end_date} rather than a period. */
    boolean hasDates() {
        return raw(START_DATE) != null || raw(END_DATE) != null;
    }

    /** A {@code YYYY-MM-DD} parameter, or {@code null} when absent. */
    LocalDate date(String name) {
        String value = raw(name);
        if (value == null) {
            return null;
        }
        try {
            LocalDate date = LocalDate.parse(value, DateTimeFormatter.ISO_LOCAL_DATE);
            // ISO also admits signed years beyond 9999, which are no YYYY-MM-DD and overflow date arithmetic.
            if (date.getYear() >= 1 && date.getYear() <= 9999) {
                return date;
            }
        } catch (DateTimeParseException malformed) {
            // reported below
        }
        throw ApiException.invalid("Query parameter '" + name + "' must be a date as YYYY-MM-DD");
    }

    /**
     * The days asked for. Explicit dates win over any period: a missing {@code end_date} is today (or
     * {@code start_date} when that lies in the future), a missing {@code start_date} is
     * {@code defaultDays} before {@code end_date}. Without dates it is the {@code defaultDays} ending today.
     * A range that ends before it starts, or spans more than {@value DateRange#MAX_DAYS} days, is a 422.
     */
    DateRange range(LocalDate today, int defaultDays) {
        LocalDate start = date(START_DATE);
        LocalDate end = date(END_DATE);
        if (start == null && end == null) {
            return DateRange.lastDays(today, defaultDays);
        }
        if (end == null) {
            end = start.isAfter(today) ? start : today;
        }
        if (start == null) {
            start = end.minusDays(defaultDays - 1L);
        }
        if (end.isBefore(start)) {
            throw ApiException.invalid("Query parameter '" + END_DATE + "' must not be before " + START_DATE);
        }
        DateRange range = new DateRange(start, end);
        if (range.dayCount() > DateRange.MAX_DAYS) {
            throw ApiException.invalid("Query parameters '" + START_DATE + "' and '" + END_DATE + "' must span at most "
                    + DateRange.MAX_DAYS + " days");
        }
        return range;
    }

    /** One of {@link #TERMINAL}, or {@code null} when absent. */
    String status() {
        String value = raw(STATUS);
        if (value == null) {
            return null;
        }
        if (!TERMINAL.contains(value)) {
            throw ApiException.invalid("Query parameter '" + STATUS + "' must be one of completed, failed, cancelled");
        }
        return value;
    }

    /**
     * Free text of at most {@code maxLength} characters (code points) without control characters, or
     * {@code null} when absent.
     */
    String text(String name, int maxLength) {
        String value = raw(name);
        if (value == null) {
            return null;
        }
        if (value.codePointCount(0, value.length()) > maxLength || value.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.invalid("Query parameter '" + name + "' must be at most " + maxLength
                    + " characters, without control characters");
        }
        return value;
    }
}
