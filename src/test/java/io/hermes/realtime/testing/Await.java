package io.hermes.realtime.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Waiting with a deadline: looks at a condition every few milliseconds until it holds, and fails naming
 * what was awaited and what was last seen when the deadline comes first. Tests wait through it, never by
 * sleeping for a guessed time.
 */
public final class Await {
    /** The pause between two looks: short next to any deadline, long enough not to keep a core busy. */
    private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private Await() {
    }

    /** A look at the state of things; it may throw what the look throws (an HTTP call, say). */
    @FunctionalInterface
    public interface Probe<T, E extends Exception> {
        T look() throws E, InterruptedException;
    }

    /** A yes-or-no look at the state of things. */
    @FunctionalInterface
    public interface Condition<E extends Exception> {
        boolean holds() throws E, InterruptedException;
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @param what what is awaited, as the failure message should name it ("the subscriber reconnects")
     * @throws AssertionError if it still does not hold after {@code timeout}
     */
    public static <E extends Exception> void until(Duration timeout, Condition<E> condition, String what)
            throws E, InterruptedException {
        if (!poll(timeout, condition::holds, Boolean::booleanValue).wanted()) {
            throw new AssertionError("waited " + timeout + " for: " + what);
        }
    }

    /**
     * Looks with {@code probe} until what it sees is {@code wanted}, and returns that.
     *
     * @throws AssertionError naming {@code what} and the last thing seen, if nothing wanted was seen within
     *                        {@code timeout}
     */
    public static <T, E extends Exception> T until(Duration timeout, Probe<T, E> probe, Predicate<? super T> wanted,
            String what) throws E, InterruptedException {
        Look<T> last = poll(timeout, probe, wanted);
        if (!last.wanted()) {
            throw new AssertionError("waited " + timeout + " for: " + what + "; last seen: " + last.seen());
        }
        return last.seen();
    }

    /**
     * Looks with {@code probe} until what it sees is {@code wanted} or {@code timeout} has passed, and
     * returns what it saw last, wanted or not: for a test that asserts on it with a message of its own.
     * It looks at least once, and once more when the time is up.
     */
    public static <T, E extends Exception> T atMost(Duration timeout, Probe<T, E> probe, Predicate<? super T> wanted)
            throws E, InterruptedException {
        return poll(timeout, probe, wanted).seen();
    }

    /** What one look saw, and whether it was what the caller wants (tested once, as tests may have effects). */
    private record Look<T>(T seen, boolean wanted) {
    }

    private static <T, E extends Exception> Look<T> poll(Duration timeout, Probe<T, E> probe,
            Predicate<? super T> wanted) throws E, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T seen = probe.look();
            boolean isWanted = wanted.test(seen);
            long left = deadline - System.nanoTime();
            if (isWanted || left <= 0) {
                return new Look<>(seen, isWanted);
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, PAUSE_NANOS)); // the polling pace, not a guess at timing
        }
    }
}
