package io.hermes.realtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReportLimitTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    private final ReportLimit limit = new ReportLimit(2, now::get);

    @Test
    void eachCallerGetsItsOwnReportsPerMinute() {
        assertEquals(0, limit.acquire("a"));
        assertEquals(0, limit.acquire("a"));
        now.addAndGet(20 * SECOND);
        assertEquals(40, limit.acquire("a"), "seconds left of a's minute");
        assertEquals(0, limit.acquire("b"));
    }

    @Test
    void aNewMinuteStartsAfresh() {
        limit.acquire("a");
        limit.acquire("a");
        now.addAndGet(60 * SECOND);
        assertEquals(0, limit.acquire("a"));
    }

    @Test
    void aFullTableForgetsCallersWhoseMinuteHasPassed() {
        for (int i = 0; i < ReportLimit.MAX_CALLERS; i++) {
            assertEquals(0, limit.acquire("caller-" + i));
        }
        assertEquals(1, limit.acquire("one too many"), "no room within the minute");
        now.addAndGet(60 * SECOND);
        assertEquals(0, limit.acquire("one too many"));
    }
}
