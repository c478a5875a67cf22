package io.hermes.realtime.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves forward by a fixed step each time it is read, so time-based throttles are deterministic. */
final class SteppingClock extends Clock {
    private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);
    private final long step;

    SteppingClock(Duration step) {
        this.step = step.toMillis();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.getAndAdd(step));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("not needed by the tests");
    }
}
