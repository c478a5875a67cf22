package io.hermes.realtime.analytics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sums of a range of {@link DayStats} and the figures derived from them, rounded the way the wire
 * shows them: rates (0..1) to three decimals, percentages (0..100) and seconds to two.
 */
final class Totals {
    static final int TOP_EXTRACTORS = 10;

    private long total;
    private long completed;
    private long failed;
    private long cancelled;
    private long bytes;
    private long durationMs;
    private final Map<String, Long> extractors = new HashMap<>();
    private final Map<String, Long> errors = new HashMap<>();
    private final long[] hours = new long[24];

    private Totals() {
    }

    static Totals of(Collection<DayStats> days) {
        Totals totals = new Totals();
        for (DayStats day : days) {
            totals.total += day.total();
            totals.completed += day.completed();
            totals.failed += day.failed();
            totals.cancelled += day.cancelled();
            totals.bytes += day.bytes();
            totals.durationMs += day.durationMs();
            day.extractors().forEach((name, count) -> totals.extractors.merge(name, count, Long::sum));
            day.errors().forEach((type, count) -> totals.errors.merge(type, count, Long::sum));
            day.hours().forEach((hour, count) -> totals.hours[hour] += count);
        }
        return totals;
    }

    long total() {
        return total;
    }

    long completed() {
        return completed;
    }

    long failed() {
        return failed;
    }

    long cancelled() {
        return cancelled;
    }

    long bytes() {
        return bytes;
    }

    /** Completed among all terminal downloads, 0..1; 0 when there were none. */
    double successRate() {
        return rate(completed, total);
    }

    /** Mean transfer time of a completed download in seconds; 0 when none completed. */
    double averageDownloadTime() {
        return completed <= 0 ? 0.0 : round(durationMs / 1000.0 / completed, 2);
    }

    /**
     * The {@value #TOP_EXTRACTORS} extractors with the most downloads, most first (ties by name). The
     * percentage is of all extractor counts, so the full list would add up to 100.
     */
    List<ExtractorShare> popularExtractors() {
        long sum = sum(extractors);
        return ranked(extractors).limit(TOP_EXTRACTORS)
                .map(entry -> new ExtractorShare(entry.getKey(), entry.getValue(), percentage(entry.getValue(), sum)))
                .toList();
    }

    /** Every error type, most frequent first (ties by name), with its share of all counted errors. */
    List<ErrorShare> errorBreakdown() {
        long sum = sum(errors);
        return ranked(errors)
                .map(entry -> new ErrorShare(entry.getKey(), entry.getValue(), percentage(entry.getValue(), sum)))
                .toList();
    }

    /** The UTC hour (0..23) in which most downloads ended, the earliest on a tie; {@code null} without data. */
    Integer peakHour() {
        Integer peak = null;
        for (int hour = 0; hour < hours.length; hour++) {
            if (hours[hour] > 0 && (peak == null || hours[hour] > hours[peak])) {
                peak = hour;
            }
        }
        return peak;
    }

    /** {@code part / whole} in 0..1 to three decimals; 0 when {@code whole} is 0. */
    static double rate(long part, long whole) {
        if (whole <= 0 || part <= 0) {
            return 0.0;
        }
        return round(Math.min(1.0, (double) part / whole), 3);
    }

    /** {@code part / whole} in 0..100 to two decimals; 0 when {@code whole} is 0. */
    static double percentage(long part, long whole) {
        if (whole <= 0 || part <= 0) {
            return 0.0;
        }
        return round(Math.min(100.0, part * 100.0 / whole), 2);
    }

    /** Half-up rounding on the decimal form, so 0.0005 becomes 0.001 as a reader expects. */
    static double round(double value, int places) {
        return BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP).doubleValue();
    }

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).filter(count -> count > 0).sum();
    }

    private static java.util.stream.Stream<Map.Entry<String, Long>> ranked(Map<String, Long> counts) {
        return counts.entrySet().stream()
                .filter(entry -> entry.getValue() > 0)
                .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
                        .thenComparing(Map.Entry::getKey));
    }

    /** An entry of {@code popularExtractors}. */
    record ExtractorShare(String extractor, long count, double percentage) {
    }

    /** An entry of {@code errorBreakdown}. */
    record ErrorShare(String errorType, long count, double percentage) {
    }
}
