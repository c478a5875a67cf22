package io.hermes.realtime.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimelineTest {
    private static final LocalDate FIRST = LocalDate.parse("2026-03-01");

    /** Days from FIRST on, each with {@code total} downloads of which {@code completed} completed. */
    private static List<DayStats> days(long... totals) {
        List<DayStats> days = new ArrayList<>();
        for (int i = 0; i < totals.length; i++) {
            days.add(DayStats.parse(FIRST.plusDays(i), Map.of("total", Long.toString(totals[i]),
                    "failed", Long.toString(totals[i]))));
        }
        return days;
    }

    @Test
    void everyDayHasAnEntryAndEmptyDaysAreZeros() {
        List<DayStats> stats = List.of(
                DayStats.parse(FIRST, Map.of("total", "2", "completed", "1", "failed", "1", "bytes", "100")),
                DayStats.empty(FIRST.plusDays(1)),
                DayStats.parse(FIRST.plusDays(2), Map.of("total", "3", "completed", "2", "cancelled", "1",
                        "bytes", "300")));
        assertEquals(List.of(new Timeline.Day("2026-03-01", 2, 0.5, 100), new Timeline.Day("2026-03-02", 0, 0.0, 0),
                new Timeline.Day("2026-03-03", 3, 0.667, 300)), Timeline.days(stats, null));
        assertEquals(List.of(1L, 0L, 2L), Timeline.days(stats, "completed").stream().map(Timeline.Day::downloads).toList());
        assertEquals(List.of(1L, 0L, 0L), Timeline.days(stats, "failed").stream().map(Timeline.Day::downloads).toList());
        assertEquals(List.of(0L, 0L, 1L), Timeline.days(stats, "cancelled").stream().map(Timeline.Day::downloads).toList());
    }

    @Test
    void summaryTotalsThePeakAndTheAverage() {
        List<DayStats> stats = List.of(
                DayStats.parse(FIRST, Map.of("total", "2", "completed", "1", "failed", "1", "bytes", "100")),
                DayStats.empty(FIRST.plusDays(1)),
                DayStats.parse(FIRST.plusDays(2), Map.of("total", "3", "completed", "3", "bytes", "300")),
                DayStats.parse(FIRST.plusDays(3), Map.of("total", "1", "cancelled", "1")));
        assertEquals(new Timeline.Summary(6, 0.667, 400, 1.5, "increasing", "2026-03-03", 3, "custom", 4),
                Timeline.summarize(stats, null, "custom"));
        assertEquals(new Timeline.Summary(1, 0.667, 400, 0.25, "decreasing", "2026-03-01", 1, "week", 4),
                Timeline.summarize(stats, "failed", "week"));
    }

    @Test
    void anEmptyPeriodHasNoPeakDayAndIsStable() {
        assertEquals(new Timeline.Summary(0, 0.0, 0, 0.0, "stable", null, 0, "week", 7),
                Timeline.summarize(days(0, 0, 0, 0, 0, 0, 0), null, "week"));
    }

    @Test
    void thePeakIsTheEarliestBusiestDay() {
        assertEquals("2026-03-02", Timeline.summarize(days(1, 4, 2, 4), null, "custom").peakDay());
    }

    @Test
    void trendComparesTheMeansOfTheTwoHalvesWithATenPercentBand() {
        assertEquals("stable", Timeline.trend(new long[] {5}), "a single day has no halves");
        assertEquals("stable", Timeline.trend(new long[] {}));
        assertEquals("increasing", Timeline.trend(new long[] {0, 1}));
        assertEquals("stable", Timeline.trend(new long[] {0, 0}));
        assertEquals("stable", Timeline.trend(new long[] {10, 11}), "exactly +10 % is inside the band");
        assertEquals("increasing", Timeline.trend(new long[] {100, 111}));
        assertEquals("stable", Timeline.trend(new long[] {10, 9}), "exactly -10 % is inside the band");
        assertEquals("decreasing", Timeline.trend(new long[] {100, 89}));
        assertEquals("increasing", Timeline.trend(new long[] {2, 0, 3, 1}));
    }

    @Test
    void withAnOddCountTheMiddleDayBelongsToTheSecondHalf() {
        // first {10}, mean 10; second {0, 22}, mean 11: +10 %, stable. With the middle day in the first half
        // it would be {10, 0} against {22}: increasing.
        assertEquals("stable", Timeline.trend(new long[] {10, 0, 22}));
        assertEquals("increasing", Timeline.trend(new long[] {10, 0, 23}));
    }
}
