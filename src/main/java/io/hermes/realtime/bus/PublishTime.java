package io.hermes.realtime.bus;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Reads an envelope's {@code timestamp} as epoch milliseconds, for the delivery latency metric. The
 * contract's own form ({@code 2026-11-22T10:00:00.123Z}, what this server publishes) is read by hand,
 * since the subscriber thread does it for every event; any other ISO-8601 form a worker may send (an
 * offset, microseconds, no zone meaning UTC) goes through {@code java.time}.
 */
final class PublishTime {
    /** What an envelope without a readable timestamp gets. */
    static final long UNKNOWN = 0;

    private PublishTime() {
    }

    static long epochMillis(String timestamp) {
        if (timestamp == null) {
            return UNKNOWN;
        }
        long millis = canonical(timestamp);
        return millis != UNKNOWN ? millis : anyIsoForm(timestamp);
    }

    /** {@code uuuu-MM-ddTHH:mm:ss.SSSZ}, or {@link #UNKNOWN} when the text has another shape. */
    private static long canonical(String t) {
        if (t.length() != 24 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
                || t.charAt(13) != ':' || t.charAt(16) != ':' || t.charAt(19) != '.' || t.charAt(23) != 'Z') {
            return UNKNOWN;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        int millis = digits(t, 20, 3);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || millis < 0) {
            return UNKNOWN;
        }
        try {
            long days = LocalDate.of(year, month, day).toEpochDay();
            return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
        } catch (DateTimeException noSuchDay) {
            return UNKNOWN;
        }
    }

    /** The decimal number in {@code t[from, from + count)}, or -1 if any of it is not a digit. */
    private static int digits(String t, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static long anyIsoForm(String timestamp) {
        try {
            return OffsetDateTime.parse(timestamp).toInstant().toEpochMilli();
        } catch (DateTimeException notWithOffset) {
            try {
                return LocalDateTime.parse(timestamp).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeException unreadable) {
                return UNKNOWN;
            }
        }
    }
}
