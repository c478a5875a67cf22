package io.hermes.realtime.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration CAP = Duration.ofSeconds(30);

    /** 0.5 is the middle of the jitter range, so the delay equals the base delay. */
    private final Backoff noJitter = new Backoff(SECOND, CAP, () -> 0.5);

    private static List<Long> delays(Backoff backoff, int count) {
        return Stream.generate(backoff::nextDelay).limit(count).map(Duration::toMillis).toList();
    }

    @Test
    void delaysDoubleAfterEachFailureUntilTheCap() {
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L), delays(noJitter, 7));
    }

    @Test
    void delaysStayAtTheCapAfterManyFailures() {
        delays(noJitter, 100);
        assertEquals(30000L, noJitter.nextDelay().toMillis());
    }

    @Test
    void theSmallestJitterHalvesTheDelay() {
        Backoff backoff = new Backoff(SECOND, CAP, () -> 0.0);
        assertEquals(List.of(500L, 1000L, 2000L), delays(backoff, 3));
    }

    @Test
    void aNearlyMaximalJitterStaysBelowOneAndAHalfTimesTheDelay() {
        Backoff backoff = new Backoff(SECOND, CAP, () -> 0.9999);
        assertEquals(List.of(1499L, 2999L, 5999L), delays(backoff, 3));
    }

    @Test
    void everyJitteredDelayLiesInHalfToOneAndAHalfOfItsBase() {
        double[] draws = {0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.9999};
        long[] bases = {1000, 2000, 4000, 8000, 16000, 30000, 30000};
        int[] next = {0};
        Backoff backoff = new Backoff(SECOND, CAP, () -> draws[next[0]++]);
        for (long base : bases) {
            long delay = backoff.nextDelay().toMillis();
            assertTrue(delay >= base / 2 && delay < base * 3 / 2, () -> delay + " outside jitter range of " + base);
        }
    }

    @Test
    void resetStartsAgainFromTheInitialDelay() {
        delays(noJitter, 4);
        noJitter.reset();
        assertEquals(List.of(1000L, 2000L), delays(noJitter, 2));
    }

    @Test
    void anInitialDelayAboveTheCapIsCapped() {
        Backoff backoff = new Backoff(Duration.ofMinutes(5), CAP, () -> 0.5);
        assertEquals(30000L, backoff.nextDelay().toMillis());
    }
}
