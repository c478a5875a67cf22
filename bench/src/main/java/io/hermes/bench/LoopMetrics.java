package io.hermes.bench;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * What one event loop measured. Histograms and plain counters are written only by the loop's thread and
 * read after it has been joined; the atomics are read by the coordinating thread while the run goes on.
 */
final class LoopMetrics {
    /** Seconds of ramp that {@link #headersMicrosBySecond} tells apart. */
    static final int RAMP_SECONDS = 60;

    /** Publish-to-parse latency of each first delivery, in microseconds. */
    final Histogram latencyMicros = new Histogram(3);
    /** From starting the TCP connect to the connect completing (the kernel's three-way handshake). */
    final Histogram tcpConnectMicros = new Histogram(3);
    /** From starting the TCP connect to having the whole response head. */
    final Histogram headersMicros = new Histogram(3);
    /** From starting the TCP connect to parsing the {@code connected} event. */
    final Histogram connectedMicros = new Histogram(3);
    /**
     * {@link #headersMicros} split by the second of the run in which each connect started (the ramp's shape);
     * connects from second {@link #RAMP_SECONDS} on count in the last entry. Made when first needed.
     */
    final Histogram[] headersMicrosBySecond = new Histogram[RAMP_SECONDS];
    /** When this loop's metrics began: the origin of those seconds. */
    final long originNanos = System.nanoTime();

    final AtomicInteger connected = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicLong distinctDeliveries = new AtomicLong();

    long bytesRead;
    long queueUpdates;
    long foreignQueueUpdates;
    long heartbeats;
    long otherEvents;
    long comments;

    void recordHeaders(long startNanos, long micros) {
        headersMicros.recordValue(micros);
        int second = (int) Math.min(RAMP_SECONDS - 1, Math.max(0, (startNanos - originNanos) / 1_000_000_000L));
        if (headersMicrosBySecond[second] == null) {
            headersMicrosBySecond[second] = new Histogram(3);
        }
        headersMicrosBySecond[second].recordValue(micros);
    }

    int settled() {
        return connected.get() + failed.get();
    }
}
