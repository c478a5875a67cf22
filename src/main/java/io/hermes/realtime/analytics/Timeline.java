package io.hermes.realtime.analytics;

import java.util.List;

/** Day-by-day entries of {@code /timeline} and the summary of {@code /timeline/summary}, from {@link DayStats}. */
final class Timeline {
    /** Second half above the first by more than this fraction is a rise, below by more a fall. */
    static final int TREND_BAND_PERCENT = 10;

    private Timeline() {
    }

    /** One day of {@code /timeline}, also the entries of {@code dailyStats} in {@code /history}. */
    record Day(String date, long downloads, double successRate, long totalSize) {
    }

    /** The body of {@code /timeline/summary}. */
    record Summary(long totalDownloads, double successRate, long totalSize, double avgDailyDownloads, String trend,
            String peakDay, long peakDownloads, String period, int daysCount) {
    }

    /**
     * One entry per day, oldest first. With a {@code status}, {@code downloads} counts only that status;
     * {@code successRate} (completed / terminal) and {@code totalSize} (bytes of completed) stay the day's.
     */
    static List<Day> days(List<DayStats> stats, String status) {
        return stats.stream()
                .map(day -> new Day(day.date().toString(), downloads(day, status), Totals.rate(day.completed(),
                        day.total()), day.bytes()))
                .toList();
    }

    /**
     * Totals over the days, the busiest day (the earliest on a tie; {@code null} when nothing happened) and
     * the trend: the mean of the second half of the days against the mean of the first half (the middle
     * day of an odd count goes to the second half), "stable" within ±{@value #TREND_BAND_PERCENT} %.
     */
    static Summary summarize(List<DayStats> stats, String status, String period) {
        long[] downloads = stats.stream().mapToLong(day -> downloads(day, status)).toArray();
        Totals totals = Totals.of(stats);
        long totalDownloads = 0;
        int peak = -1;
        for (int i = 0; i < downloads.length; i++) {
            totalDownloads += downloads[i];
            if (downloads[i] > 0 && (peak < 0 || downloads[i] > downloads[peak])) {
                peak = i;
            }
        }
        double average = downloads.length == 0 ? 0.0 : Totals.round((double) totalDownloads / downloads.length, 2);
        return new Summary(totalDownloads, totals.successRate(), totals.bytes(), average, trend(downloads),
                peak < 0 ? null : stats.get(peak).date().toString(), peak < 0 ? 0 : downloads[peak], period,
                downloads.length);
    }

    /** "increasing", "decreasing" or "stable"; exact integer arithmetic so the band edges do not wobble. */
    static String trend(long[] downloads) {
        int firstLength = downloads.length / 2;
        int secondLength = downloads.length - firstLength;
        if (firstLength == 0) {
            return "stable";
        }
        long first = 0;
        long second = 0;
        for (int i = 0; i < downloads.length; i++) {
            if (i < firstLength) {
                first += downloads[i];
            } else {
                second += downloads[i];
            }
        }
        // Compare the means second/secondLength and first/firstLength without dividing.
        long secondScaled = second * firstLength * 100;
        long firstScaled = first * secondLength;
        if (secondScaled > firstScaled * (100 + TREND_BAND_PERCENT)) {
            return "increasing";
        }
        if (secondScaled < firstScaled * (100 - TREND_BAND_PERCENT)) {
            return "decreasing";
        }
        return "stable";
    }

    private static long downloads(DayStats day, String status) {
        if (status == null) {
            return day.total();
        }
        return switch (status) {
            case "completed" -> day.completed();
            case "failed" -> day.failed();
            case "cancelled" -> day.cancelled();
            default -> throw new IllegalArgumentException("not a terminal status: " + status);
        };
    }
}
