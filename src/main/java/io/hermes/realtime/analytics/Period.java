package io.hermes.realtime.analytics;

import io.hermes.realtime.http.ApiException;
import java.time.LocalDate;

/**
 * The {@code period} query parameter: how many UTC calendar days, ending today, a report covers. The
 * per-day counters cannot be cut inside a day, so {@code day} means today since midnight UTC rather
 * than the last 24 hours.
 */
enum Period {
    DAY("day", 1),
    WEEK("week", 7),
    MONTH("month", 30),
    YEAR("year", 365);

    static final String PARAMETER = "period";

    private final String wireName;
    private final int days;

    Period(String wireName, int days) {
        this.wireName = wireName;
        this.days = days;
    }

    String wireName() {
        return wireName;
    }

    int days() {
        return days;
    }

    /** The range of this period's length that ends on {@code today}. */
    DateRange endingOn(LocalDate today) {
        return DateRange.lastDays(today, days);
    }

    /** Parses the parameter as sent; absent or empty means {@link #WEEK}; anything else unknown is a 422. */
    static Period parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return WEEK;
        }
        for (Period period : values()) {
            if (period.wireName.equals(raw)) {
                return period;
            }
        }
        throw ApiException.invalid("Query parameter '" + PARAMETER + "' must be one of day, week, month, year");
    }
}
