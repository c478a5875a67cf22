package io.hermes.realtime.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hermes.realtime.analytics.Totals.ErrorShare;
import io.hermes.realtime.analytics.Totals.ExtractorShare;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TotalsTest {
    private static final LocalDate DAY = LocalDate.parse("2026-11-22");

    private static DayStats day(Map<String, String> hash) {
        return DayStats.parse(DAY, hash);
    }

    @Test
    void nothingAtAllIsZerosAndNoPeak() {
        Totals totals = Totals.of(List.of(DayStats.empty(DAY)));
        assertEquals(0.0, totals.successRate());
        assertEquals(0.0, totals.averageDownloadTime());
        assertEquals(List.of(), totals.popularExtractors());
        assertEquals(List.of(), totals.errorBreakdown());
        assertNull(totals.peakHour());
    }

    @Test
    void daysAreSummedAndRatesRoundedToThreeDecimals() {
        Totals totals = Totals.of(List.of(
                day(Map.of("total", "4", "completed", "3", "failed", "1", "bytes", "3000", "duration_ms", "9000")),
                day(Map.of("total", "2", "completed", "1", "cancelled", "1", "bytes", "500", "duration_ms", "1500")),
                day(Map.of("total", "3", "failed", "3"))));
        assertEquals(9, totals.total());
        assertEquals(4, totals.completed());
        assertEquals(4, totals.failed());
        assertEquals(1, totals.cancelled());
        assertEquals(3500, totals.bytes());
        assertEquals(0.444, totals.successRate());
        assertEquals(2.63, totals.averageDownloadTime(), "10.5 s over 4 completed, half up");
    }

    @Test
    void successRateNeverExceedsOne() {
        assertEquals(1.0, Totals.rate(5, 3));
        assertEquals(0.667, Totals.rate(2, 3));
        assertEquals(0.0, Totals.rate(1, 0));
    }

    @Test
    void popularExtractorsAreTheTopTenMostFirstWithTheirShareOfAll() {
        Map<String, String> hash = new HashMap<>();
        for (int i = 1; i <= 12; i++) {
            hash.put("extractor:site" + (char) ('a' + i) + ".com", Integer.toString(i));
        }
        hash.put("extractor:tie-b.com", "12");
        hash.put("extractor:tie-a.com", "12");
        List<ExtractorShare> popular = Totals.of(List.of(day(hash))).popularExtractors();
        assertEquals(10, popular.size());
        assertEquals(new ExtractorShare("sitem.com", 12, 11.76), popular.get(0), "102 in all; ties by name");
        assertEquals(new ExtractorShare("tie-a.com", 12, 11.76), popular.get(1));
        assertEquals(new ExtractorShare("tie-b.com", 12, 11.76), popular.get(2));
        assertEquals(new ExtractorShare("sitel.com", 11, 10.78), popular.get(3));
        assertEquals(new ExtractorShare("sitef.com", 5, 4.9), popular.get(9), "the eleventh and later are left out");
    }

    @Test
    void errorBreakdownListsEveryTypeWithItsShare() {
        Totals totals = Totals.of(List.of(day(Map.of("error:network", "2", "error:format", "1")),
                day(Map.of("error:network", "1"))));
        assertEquals(List.of(new ErrorShare("network", 3, 75.0), new ErrorShare("format", 1, 25.0)),
                totals.errorBreakdown());
    }

    @Test
    void peakHourIsTheBusiestHourAcrossDaysTheEarliestOnATie() {
        Totals totals = Totals.of(List.of(day(Map.of("hour:10", "3", "hour:14", "1")),
                day(Map.of("hour:14", "2", "hour:02", "3"))));
        assertEquals(2, totals.peakHour());
        assertEquals(14, Totals.of(List.of(day(Map.of("hour:14", "9", "hour:00", "1")))).peakHour());
        assertEquals(0, Totals.of(List.of(day(Map.of("hour:00", "1")))).peakHour());
    }
}
