package io.hermes.realtime.bus;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential reconnect delays with jitter: each failure doubles the base delay up to a cap, and the
 * actual delay is drawn from [50 %, 150 %) of it so that many instances do not reconnect in step.
 */
final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private final DoubleSupplier random;
    private int failures;

    Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
    }

    /** The delay before the next attempt; each call counts one more consecutive failure. */
    Duration nextDelay() {
        long base = Math.min(maxMillis, initialMillis << Math.min(failures, 20));
        failures++;
        return Duration.ofMillis((long) (base * (0.5 + random.getAsDouble())));
    }

    void reset() {
        failures = 0;
    }
}
