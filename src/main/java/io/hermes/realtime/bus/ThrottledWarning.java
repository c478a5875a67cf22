package io.hermes.realtime.bus;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A warning that is logged at most once per interval, with how many like it were held back meanwhile: a
 * publisher sending malformed messages many times a second must not flood the log. Those held back go to
 * debug. Used by one thread (the subscriber's), so it keeps no locks.
 */
final class ThrottledWarning {
    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private boolean loggedOnce;
    private long lastLogged;
    private long heldBack;

    ThrottledWarning(Logger log, long interval, TimeUnit unit, LongSupplier nanoTime) {
        this.log = log;
        this.intervalNanos = unit.toNanos(interval);
        this.nanoTime = nanoTime;
    }

    /** Logs {@code message} (a {@link java.text.MessageFormat} pattern) now, or counts it for the next one. */
    void warn(String message, Object... parameters) {
        long now = nanoTime.getAsLong();
        if (loggedOnce && now - lastLogged < intervalNanos) {
            heldBack++;
            log.log(Level.DEBUG, message, parameters);
            return;
        }
        String suffix = heldBack == 0 ? ""
                : " (and " + heldBack + " more like it in the last " + TimeUnit.NANOSECONDS.toSeconds(now - lastLogged)
                        + " s, at debug)";
        log.log(Level.WARNING, message + suffix, parameters);
        loggedOnce = true;
        lastLogged = now;
        heldBack = 0;
    }
}
