package io.hermes.bench;

/**
 * The moment the server was stopped or killed, in epoch microseconds, shared by the coordinating thread
 * (which learns it from the run script) and the loops' clients; 0 until then.
 */
final class StormClock {
    private volatile long stopMicros;

    long stopMicros() {
        return stopMicros;
    }

    void stoppedAt(long micros) {
        stopMicros = micros;
    }
}
