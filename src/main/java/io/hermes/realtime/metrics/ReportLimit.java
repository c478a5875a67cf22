package io.hermes.realtime.metrics;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * At most {@code perMinute} reports per caller in each minute, counted in fixed one-minute windows that
 * start at a caller's first report. Callers whose window has passed are forgotten when the table fills,
 * so it holds at most {@link #MAX_CALLERS}; with that many callers inside one minute, new ones wait.
 */
final class ReportLimit {
    /** Callers remembered at once: a bound on memory, far above the keys a deployment hands out. */
    static final int MAX_CALLERS = 10_000;
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final int perMinute;
    private final LongSupplier nanos;
    // Guarded by this: a report is rare (a page reports when it switches), so one lock serves.
    private final Map<String, Window> windows = new HashMap<>();

    /** One caller's current minute: when it began and how many reports it counted. */
    private static final class Window {
        final long startNanos;
        int count;

        Window(long startNanos) {
            this.startNanos = startNanos;
        }
    }

    ReportLimit(int perMinute, LongSupplier nanos) {
        this.perMinute = perMinute;
        this.nanos = nanos;
    }

    /** Counts a report of {@code caller}: 0 if it may go on, else the seconds until it may report again. */
    synchronized long acquire(String caller) {
        long now = nanos.getAsLong();
        Window window = windows.get(caller);
        if (window != null && now - window.startNanos >= MINUTE_NANOS) {
            windows.remove(caller);
            window = null;
        }
        if (window == null) {
            if (windows.size() >= MAX_CALLERS && !forgetPast(now)) {
                return 1;
            }
            window = new Window(now);
            windows.put(caller, window);
        }
        if (window.count >= perMinute) {
            return Math.max(1, (window.startNanos + MINUTE_NANOS - now + 999_999_999L) / 1_000_000_000L);
        }
        window.count++;
        return 0;
    }

    /** Drops the callers whose minute has passed; true if that made room. */
    private boolean forgetPast(long now) {
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
            if (now - it.next().startNanos >= MINUTE_NANOS) {
                it.remove();
            }
        }
        return windows.size() < MAX_CALLERS;
    }
}
