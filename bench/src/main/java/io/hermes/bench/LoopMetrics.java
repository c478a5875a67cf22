package io.hermes.bench;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * What one event loop measured. Histograms and plain counters are written only by the loop's thread and
 * read after it has been joined; the atomics are read by the coordinating thread while the run goes on.
 */
final class LoopMetrics {
    /** Publish-to-parse latency of each first delivery, in microseconds. */
    final Histogram latencyMicros = new Histogram(3);
    /** From starting the TCP connect to the connect completing (the kernel's three-way handshake). */
    final Histogram tcpConnectMicros = new Histogram(3);
    /** From starting the TCP connect to having the whole response head. */
    final Histogram headersMicros = new Histogram(3);
    /** From starting the TCP connect to parsing the {@code connected} event. */
    final Histogram connectedMicros = new Histogram(3);

    final AtomicInteger connected = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicLong distinctDeliveries = new AtomicLong();

    long bytesRead;
    long queueUpdates;
    long foreignQueueUpdates;
    long heartbeats;
    long otherEvents;
    long comments;

    int settled() {
        return connected.get() + failed.get();
    }
}
