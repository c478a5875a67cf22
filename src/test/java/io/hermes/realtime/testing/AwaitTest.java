package io.hermes.realtime.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Await looks until what it sees is wanted, and its failures say what was awaited and what was seen last. */
class AwaitTest {
    private static final Duration LONG = Duration.ofSeconds(10);
    private static final Duration SHORT = Duration.ofMillis(100);

    @Test
    void returnsTheFirstValueThatIsWantedWithoutWaitingForTheDeadline() throws Exception {
        AtomicInteger looks = new AtomicInteger();
        long started = System.nanoTime();
        int seen = Await.until(LONG, looks::incrementAndGet, n -> n == 3, "the third look");
        assertEquals(3, seen);
        assertTrue(System.nanoTime() - started < LONG.toNanos() / 2, "returned long before the deadline");
    }

    @Test
    void failsNamingWhatWasAwaitedAndWhatWasSeenLast() {
        AtomicInteger looks = new AtomicInteger();
        AssertionError failure = assertThrows(AssertionError.class, () -> Await.until(SHORT,
                () -> "look " + looks.incrementAndGet(), "ready"::equals, "the server to be ready"));
        assertEquals("waited PT0.1S for: the server to be ready; last seen: look " + looks.get(), failure.getMessage());
        assertTrue(looks.get() >= 2, "looked again before giving up: " + looks.get());
    }

    @Test
    void aConditionThatNeverHoldsFailsWithWhatWasAwaited() {
        AssertionError failure = assertThrows(AssertionError.class,
                () -> Await.until(SHORT, () -> false, "the subscriber reconnects"));
        assertEquals("waited PT0.1S for: the subscriber reconnects", failure.getMessage());
    }

    @Test
    void looksOnceEvenWithNoTimeLeft() throws Exception {
        AtomicInteger looks = new AtomicInteger();
        Await.until(Duration.ZERO, () -> looks.incrementAndGet() == 1, "the first look");
        assertEquals(1, looks.get());
    }

    @Test
    void atMostReturnsWhatItSawLastWhenTheTimeIsUp() throws Exception {
        AtomicInteger looks = new AtomicInteger();
        int last = Await.atMost(SHORT, looks::incrementAndGet, n -> false);
        assertEquals(looks.get(), last);
    }

    @Test
    void whatALookThrowsReachesTheTestAtOnce() {
        IOException refused = new IOException("connection refused");
        AtomicInteger looks = new AtomicInteger();
        IOException thrown = assertThrows(IOException.class, () -> Await.until(LONG, () -> {
            looks.incrementAndGet();
            throw refused;
        }, "an answer"));
        assertSame(refused, thrown);
        assertEquals(1, looks.get());
    }
}
