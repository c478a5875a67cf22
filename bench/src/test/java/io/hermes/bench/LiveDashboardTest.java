package io.hermes.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LiveDashboardTest {
    @Test
    void streamIdsCompareByMillisecondsThenSequenceNotAsText() {
        assertTrue(LiveDashboard.isAfter("1732000000000-0", ""));
        assertTrue(LiveDashboard.isAfter("1732000000000-10", "1732000000000-9"));
        assertTrue(LiveDashboard.isAfter("1732000000001-0", "1732000000000-99"));
        assertFalse(LiveDashboard.isAfter("1732000000000-9", "1732000000000-10"));
        assertFalse(LiveDashboard.isAfter("1732000000000-5", "1732000000000-5"), "the same id is a duplicate");
        assertThrows(IllegalArgumentException.class, () -> LiveDashboard.isAfter("nonsense", "1-0"));
    }
}
