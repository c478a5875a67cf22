package io.hermes.realtime.redis;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Logs a Redis outage as one component sees it: one warning when the first call fails, one info line
 * when a call succeeds again (with how long it lasted and how many calls failed meanwhile), and the
 * retries in between at debug only, so a retry loop never floods the log. Safe for any number of threads.
 */
public final class OutageLog {
    private final Logger log;
    private final String started;
    private final String ended;
    private final LongSupplier nanoTime;
    /** {@code System.nanoTime()} when the outage began; 0 while Redis answers. */
    private final AtomicLong downSince = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    /**
     * @param started how the warning begins, e.g. "Redis subscription lost"
     * @param ended   how the info line begins, e.g. "Redis subscription restored"
     */
    public OutageLog(Logger log, String started, String ended) {
        this(log, started, ended, System::nanoTime);
    }

    OutageLog(Logger log, String started, String ended, LongSupplier nanoTime) {
        this.log = log;
        this.started = started;
        this.ended = ended;
        this.nanoTime = nanoTime;
    }

    /** Records a failed call; returns true when this failure began the outage (and was the one logged). */
    public boolean failed(Throwable cause, String consequence) {
        failures.incrementAndGet();
        long now = Math.max(1, nanoTime.getAsLong()); // 0 means "up"
        if (downSince.compareAndSet(0, now)) {
            log.log(Level.WARNING, "{0} ({1}); {2}", started, describe(cause), consequence);
            return true;
        }
        log.log(Level.DEBUG, "{0}, still: {1}", started, describe(cause));
        return false;
    }

    /** Records a call that succeeded; returns true when it ended an outage (and logged the end). */
    public boolean recovered(String outcome) {
        long since = downSince.getAndSet(0);
        if (since == 0) {
            return false;
        }
        long failed = failures.getAndSet(0);
        double seconds = (nanoTime.getAsLong() - since) / 1e9;
        log.log(Level.INFO, "{0} after {1} s ({2} failed attempts){3}", ended,
                String.format(Locale.ROOT, "%.1f", seconds), failed, outcome.isEmpty() ? "" : "; " + outcome);
        return true;
    }

    /** Whether the last call failed. */
    public boolean isDown() {
        return downSince.get() != 0;
    }

    /** The failure and its first cause in their own words, without a stack trace; Jedis names hosts, never passwords. */
    static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(failure.getClass().getSimpleName());
        if (failure.getMessage() != null) {
            text.append(": ").append(failure.getMessage());
        }
        Throwable cause = failure.getCause();
        if (cause != null && cause != failure && cause.getMessage() != null) {
            text.append(" (").append(cause.getMessage()).append(')');
        }
        return text.toString();
    }
}
