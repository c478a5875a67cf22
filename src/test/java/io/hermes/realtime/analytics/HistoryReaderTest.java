package io.hermes.realtime.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryReaderTest {
    @Test
    void secondsKeepIntegersIntegralAndFractionsFractional() {
        assertEquals(12L, HistoryReader.seconds("12"));
        assertEquals(12L, HistoryReader.seconds("12.0"));
        assertEquals(7.5, HistoryReader.seconds(" 7.5 "));
        assertNull(HistoryReader.seconds(null));
        assertNull(HistoryReader.seconds(""));
        assertNull(HistoryReader.seconds("NaN"));
        assertNull(HistoryReader.seconds("long"));
    }

    @Test
    void bytesAreWholeNumbers() {
        assertEquals(9_007_199_254_740_993L, HistoryReader.bytes("9007199254740993"), "beyond double precision");
        assertEquals(3L, HistoryReader.bytes("2.6"));
        assertNull(HistoryReader.bytes("unknown"));
    }

    @Test
    void anItemTakesItsFieldsFromTheRecordAndLeavesTheRestNull() {
        HistoryReader.Item item = HistoryReader.Item.of("d1", Map.of("url", "https://example.org/v", "status", "failed",
                "error", "Network unreachable", "error_type", "network", "completed_at", "2026-03-01T08:00:00.000Z"));
        assertEquals(new HistoryReader.Item("d1", "https://example.org/v", "failed", null, "2026-03-01T08:00:00.000Z",
                null, null, null, null, "Network unreachable"), item);
    }
}
