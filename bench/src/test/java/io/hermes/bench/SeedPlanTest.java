package io.hermes.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeedPlanTest {
    private static final Instant NOW = Instant.parse("2026-11-22T09:30:00Z");

    @Test
    void theSameSeedGivesTheSamePlan() {
        assertEquals(SeedPlan.plan(500, 30, SeedPlan.Profile.MIXED, NOW, 7), SeedPlan.plan(500, 30, SeedPlan.Profile.MIXED, NOW, 7));
    }

    @Test
    void terminalDownloadsFinishWithinTheDaysAndInOrder() {
        for (SeedPlan.Planned plan : SeedPlan.plan(5000, 30, SeedPlan.Profile.MIXED, NOW, 1)) {
            assertTrue(plan.created().isBefore(NOW), plan.toString());
            if (plan.finished() != null) {
                assertTrue(plan.finished().isBefore(NOW), plan.toString());
                assertTrue(!plan.finished().isBefore(NOW.minus(Duration.ofDays(30))), plan.toString());
                assertTrue(!plan.finished().isBefore(plan.created()), plan.toString());
            }
            if (plan.started() != null) {
                assertTrue(!plan.started().isBefore(plan.created()), plan.toString());
            }
            switch (plan.status()) {
                case QUEUED -> {
                    assertNull(plan.started());
                    assertTrue(plan.created().isAfter(NOW.minus(Duration.ofHours(2))));
                }
                case DOWNLOADING -> {
                    assertNotNull(plan.started());
                    assertNull(plan.finished());
                    assertTrue(plan.downloadedBytes() > 0 && plan.downloadedBytes() < plan.size());
                }
                case COMPLETED -> assertEquals(plan.size(), plan.downloadedBytes());
                case FAILED -> {
                    assertNotNull(plan.started());
                    assertNotNull(plan.errorType());
                }
                case CANCELLED -> assertNotNull(plan.finished());
                default -> throw new AssertionError(plan);
            }
        }
    }

    @Test
    void statusSharesFollowTheProfile() {
        Map<SeedPlan.Status, Integer> counts = count(SeedPlan.plan(10_000, 30, SeedPlan.Profile.MIXED, NOW, 3));
        assertEquals(0.80, counts.get(SeedPlan.Status.COMPLETED) / 10_000.0, 0.02);
        assertEquals(0.10, counts.get(SeedPlan.Status.FAILED) / 10_000.0, 0.02);
        assertEquals(0.03, counts.get(SeedPlan.Status.QUEUED) / 10_000.0, 0.01);
        Map<SeedPlan.Status, Integer> history = count(SeedPlan.plan(2000, 30, SeedPlan.Profile.HISTORY, NOW, 3));
        assertEquals(0, history.getOrDefault(SeedPlan.Status.QUEUED, 0));
        assertEquals(0, history.getOrDefault(SeedPlan.Status.DOWNLOADING, 0));
    }

    private static Map<SeedPlan.Status, Integer> count(List<SeedPlan.Planned> plans) {
        Map<SeedPlan.Status, Integer> counts = new EnumMap<>(SeedPlan.Status.class);
        plans.forEach(plan -> counts.merge(plan.status(), 1, Integer::sum));
        return counts;
    }
}
