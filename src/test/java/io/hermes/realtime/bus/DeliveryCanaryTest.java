package io.hermes.realtime.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The canary's bookkeeping, driven by hand: a fake clock, a publish that records, a resubscribe that counts. */
class DeliveryCanaryTest {
    private static final long SECOND = 1_000_000_000L;

    private long now = 100 * SECOND;
    private final List<String> published = new ArrayList<>();
    private int resubscribes;
    private boolean redisDown;
    private final DeliveryCanary canary = new DeliveryCanary("abc", Duration.ofSeconds(1), (channel, message) -> {
        if (redisDown) {
            throw new IllegalStateException("Redis unreachable");
        }
        published.add(channel + " " + message);
    }, () -> resubscribes++, () -> now, Executors.defaultThreadFactory());

    /** One interval: the tick, then (if {@code back}) the canary it published comes back. */
    private void round(boolean back) {
        canary.tick();
        if (back && !published.isEmpty()) {
            String last = published.get(published.size() - 1);
            canary.returned(last.substring(last.indexOf(' ') + 1));
        }
        now += SECOND;
    }

    @Test
    void canariesThatComeBackKeepTheInstanceHealthy() {
        for (int i = 0; i < 10; i++) {
            round(true);
        }
        assertEquals("hermes:canary:abc 10", published.get(9));
        assertTrue(canary.problem().isEmpty());
        assertEquals(0, canary.failures());
        assertEquals(0, resubscribes);
        assertEquals(1.0, canary.ageSeconds(), 1e-9);
    }

    @Test
    void aSilentSubscriptionIsReportedAfterTheIntervalAndMarginThenDroppedOnce() {
        round(true);
        round(false); // 1 s after the last return
        round(false);
        assertTrue(canary.problem().isEmpty(), "3 s is within 1 s + 2 s");
        round(false);
        assertTrue(canary.problem().isPresent(), "4 s is beyond the limit");
        assertEquals(0, resubscribes, "the tick at 3 s was not yet beyond the limit");
        round(false);
        assertEquals(1, resubscribes);
        round(false);
        round(false);
        round(false);
        assertEquals(1, resubscribes, "a fresh subscription gets a whole limit to prove itself");
        round(false);
        assertEquals(2, resubscribes);
        assertEquals(7, canary.failures());
    }

    @Test
    void aSubscriptionMadeAfterAnOutageGetsAWholeLimitBeforeTheCanaryDropsIt() {
        round(true);
        redisDown = true;
        for (int i = 0; i < 10; i++) {
            round(false); // Redis down: nothing published, nothing dropped
        }
        assertEquals(0, resubscribes);
        redisDown = false;
        round(false); // Redis is back; this canary is published before the subscriber has reconnected: lost
        canary.subscribed(); // the subscriber's new subscription
        for (int i = 0; i < 4; i++) {
            round(false); // ticks 0 to 3 s after it: the limit is 1 s + 2 s
        }
        assertEquals(0, resubscribes, "within a limit of the new subscription, silence proves nothing");
        round(false);
        assertEquals(1, resubscribes, "a new subscription that hears nothing for a whole limit is dropped");
    }

    @Test
    void healthReturnsWithTheFirstCanaryBack() {
        round(true);
        for (int i = 0; i < 5; i++) {
            round(false);
        }
        assertTrue(canary.problem().isPresent());
        canary.tick();
        canary.returned(published.get(published.size() - 1).split(" ")[1]);
        assertTrue(canary.problem().isEmpty());
        assertEquals(0.0, canary.ageSeconds(), 1e-9);
    }

    @Test
    void anUnreachableRedisIsUnhealthyButNotASubscriptionProblem() {
        round(true);
        redisDown = true;
        for (int i = 0; i < 6; i++) {
            round(false);
        }
        assertTrue(canary.problem().isPresent());
        assertEquals(0, resubscribes, "nothing was published, so the subscription is not to blame");
    }

    @Test
    void aStaleOrForeignMessageProvesNothing() {
        round(true);
        round(true);
        now += 5 * SECOND;
        canary.returned("1");
        canary.returned("not a number");
        assertTrue(canary.problem().isPresent());
    }
}
