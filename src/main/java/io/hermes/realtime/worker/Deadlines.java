package io.hermes.realtime.worker;

import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * What ends a transfer early: the cancellation flag, the idle timeout and the total timeout. The reading
 * thread never waits longer than {@link #WAIT} at a time and calls {@link #check()} between waits, so a
 * cancel takes effect within about 50 ms even when the server has gone silent. Used by one thread only.
 */
final class Deadlines {
    /** Longest single wait for the network; bounds how late a cancel or a deadline is noticed. */
    static final Duration WAIT = Duration.ofMillis(50);

    private final BooleanSupplier cancelled;
    private final Clock clock;
    private final TransferLimits limits;
    private final long totalDeadline;
    private long lastActivity;

    /** Starts the idle and total clocks now. */
    Deadlines(BooleanSupplier cancelled, Clock clock, TransferLimits limits) {
        this.cancelled = cancelled;
        this.clock = clock;
        this.limits = limits;
        long now = clock.millis();
        long total = limits.totalTimeout().toMillis();
        this.totalDeadline = now > Long.MAX_VALUE - total ? Long.MAX_VALUE : now + total;
        this.lastActivity = now;
    }

    /** Something arrived (or a new request left): the idle timeout starts again. */
    void activity() {
        lastActivity = clock.millis();
    }

    /** Throws if the transfer must stop now. */
    void check() throws TransferException, TransferCancelledException {
        if (cancelled.getAsBoolean()) {
            throw new TransferCancelledException();
        }
        long now = clock.millis();
        if (now >= totalDeadline) {
            throw TransferException.tookTooLong(limits.totalTimeout());
        }
        if (now - lastActivity >= limits.idleTimeout().toMillis()) {
            throw TransferException.idle(limits.idleTimeout());
        }
    }
}
