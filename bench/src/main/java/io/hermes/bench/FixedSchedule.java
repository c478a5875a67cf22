package io.hermes.bench;

/**
 * When the i-th event of a run is due: {@code start + i / rate}, computed from the start every time so a
 * late event never pushes the later ones back (no drift), and a late publisher catches up at once.
 */
final class FixedSchedule {
    private final long startNanos;
    private final double periodNanos;

    FixedSchedule(long startNanos, double eventsPerSecond) {
        this.startNanos = startNanos;
        this.periodNanos = 1e9 / eventsPerSecond;
    }

    long dueNanos(long index) {
        return startNanos + Math.round(index * periodNanos);
    }
}
