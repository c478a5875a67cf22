package io.hermes.realtime.downloads;

import java.time.Duration;

/**
 * Wakes this instance's idle worker threads when a download is queued here, so a new download starts at
 * once instead of at the worker's next look at the queue (every 0.5 s). Downloads queued through another
 * instance, or by a worker in another language, are still found by that look.
 *
 * <p>A generation count rather than a flag: a waiter passes the generation it saw before it last looked at
 * the queue, so a download queued between its look and its wait is not missed.
 */
public final class QueueSignal {
    private final Object lock = new Object();
    private long generation;

    /** Something was queued, or the waiters should look again (the worker is stopping). */
    public void signal() {
        synchronized (lock) {
            generation++;
            lock.notifyAll();
        }
    }

    /** The current generation, to pass to {@link #awaitAfter} once the queue has been looked at. */
    public long generation() {
        synchronized (lock) {
            return generation;
        }
    }

    /** Waits until a signal after {@code seen}, or at most {@code timeout}. */
    public void awaitAfter(long seen, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (generation == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }
}
