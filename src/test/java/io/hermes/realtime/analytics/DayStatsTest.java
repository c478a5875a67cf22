package io.hermes.realtime.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DayStatsTest {
    private static final LocalDate DAY = LocalDate.parse("2026-11-22");

    @Test
    void everyCounterOfTheDataModelIsRead() {
        DayStats day = DayStats.parse(DAY, Map.ofEntries(
                Map.entry("total", "6"), Map.entry("completed", "3"), Map.entry("failed", "2"),
                Map.entry("cancelled", "1"), Map.entry("bytes", "123456789012"), Map.entry("duration_ms", "4500"),
                Map.entry("extractor:youtube.com", "4"), Map.entry("extractor:vimeo.com", "2"),
                Map.entry("error:network", "2"), Map.entry("hour:07", "5"), Map.entry("hour:23", "1")));
        assertEquals(new DayStats(DAY, 6, 3, 2, 1, 123_456_789_012L, 4500,
                Map.of("youtube.com", 4L, "vimeo.com", 2L), Map.of("network", 2L), Map.of(7, 5L, 23, 1L)), day);
    }

    @Test
    void missingFieldsAreZeroAndGarbageIsIgnored() {
        DayStats day = DayStats.parse(DAY, Map.of("total", "lots", "completed", "2.0", "hour:24", "9", "hour:xx", "1",
                "extractor:", "3", "someone-else", "7"));
        assertEquals(new DayStats(DAY, 0, 2, 0, 0, 0, 0, Map.of(), Map.of(), Map.of()), day);
        assertEquals(DayStats.empty(DAY), DayStats.parse(DAY, Map.of()));
    }
}
