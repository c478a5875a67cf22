package io.hermes.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FixedScheduleTest {
    @Test
    void dueTimesAreAnchoredToTheStartSoRoundingNeverAccumulates() {
        FixedSchedule schedule = new FixedSchedule(1_000, 3); // a period of 333 333 333.3 ns
        assertEquals(1_000, schedule.dueNanos(0));
        assertEquals(1_000 + 333_333_333, schedule.dueNanos(1));
        assertEquals(1_000 + 3_000_000_000L, schedule.dueNanos(9));
        assertEquals(1_000 + 300_000_000_000L, schedule.dueNanos(900));
    }
}
