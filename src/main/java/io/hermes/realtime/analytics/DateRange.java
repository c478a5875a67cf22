package io.hermes.realtime.analytics;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** An inclusive range of UTC calendar days, the unit the per-day counters are kept in. */
record DateRange(LocalDate start, LocalDate end) {
    /** The longest range any endpoint reads: a leap year. One hash per day is read, so this bounds the work. */
    static final int MAX_DAYS = 366;

    DateRange {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("end " + end + " is before start " + start);
        }
    }

    /** The {@code days} days ending on {@code end}, {@code end} included. */
    static DateRange lastDays(LocalDate end, int days) {
        if (days < 1) {
            throw new IllegalArgumentException("days must be at least 1");
        }
        return new DateRange(end.minusDays(days - 1L), end);
    }

    long dayCount() {
        return ChronoUnit.DAYS.between(start, end) + 1;
    }

    /** Every day of the range, oldest first. */
    List<LocalDate> days() {
        List<LocalDate> days = new ArrayList<>((int) Math.min(dayCount(), MAX_DAYS));
        for (LocalDate day = start; !day.isAfter(end); day = day.plusDays(1)) {
            days.add(day);
        }
        return days;
    }

    /** Midnight UTC at the start of the first day, in epoch milliseconds. */
    long startMillis() {
        return start.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /** The last millisecond of the last day, so a score range built from the two is inclusive of whole days. */
    long endMillis() {
        return end.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() - 1;
    }
}
