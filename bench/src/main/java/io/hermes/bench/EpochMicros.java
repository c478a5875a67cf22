package io.hermes.bench;

import java.time.Instant;

/**
 * Wall-clock time in microseconds since the epoch. The publisher stamps events with it and the load
 * generator compares against it, which is only meaningful because both run on the same machine.
 * {@code Instant.now()} has microsecond resolution on Linux with Java 17, unlike currentTimeMillis.
 */
final class EpochMicros {
    private EpochMicros() {
    }

    static long now() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
