package io.hermes.realtime.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * A count that only goes up. Incrementing is lock-free and allocation-free, and threads that increment
 * at once do not fight over one memory word ({@link LongAdder}), so it may sit on the per-frame path.
 */
public final class Counter {
    private final LongAdder count = new LongAdder();

    public void increment() {
        count.increment();
    }

    /** Adds {@code amount}, which must not be negative. */
    public void add(long amount) {
        count.add(amount);
    }

    /** The current total; increments made while it is read may or may not be included. */
    public long value() {
        return count.sum();
    }
}
