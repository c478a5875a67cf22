package io.hermes.realtime.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class HistogramTest {

    @Test
    void aBoundIsInclusiveAsPrometheusLeIs() {
        Histogram histogram = new Histogram(1, 2, 5);
        histogram.observe(1);
        histogram.observe(2);
        histogram.observe(2.0001);
        Histogram.Snapshot snapshot = histogram.snapshot();
        assertArrayEquals(new long[] {1, 2, 3, 3}, snapshot.cumulativeCounts());
    }

    @Test
    void countsAreCumulativeWithTheOverflowInTheInfiniteBucket() {
        Histogram histogram = new Histogram(0.01, 0.1, 1);
        for (double value : new double[] {0.005, 0.005, 0.05, 0.5, 0.7, 3, 99}) {
            histogram.observe(value);
        }
        Histogram.Snapshot snapshot = histogram.snapshot();
        assertArrayEquals(new long[] {2, 3, 5, 7}, snapshot.cumulativeCounts());
        assertEquals(7, snapshot.count());
        assertEquals(103.26, snapshot.sum(), 1e-9);
        assertArrayEquals(new double[] {0.01, 0.1, 1}, snapshot.upperBounds());
    }

    @Test
    void valuesBelowTheFirstBoundLandInTheFirstBucketAndNaNIsIgnored() {
        Histogram histogram = new Histogram(1);
        histogram.observe(-5);
        histogram.observe(Double.NaN);
        assertArrayEquals(new long[] {1, 1}, histogram.snapshot().cumulativeCounts());
        assertEquals(-5, histogram.snapshot().sum());
    }

    @Test
    void boundsMustBeFiniteAndStrictlyIncreasing() {
        assertThrows(IllegalArgumentException.class, () -> new Histogram());
        assertThrows(IllegalArgumentException.class, () -> new Histogram(1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Histogram(2, 1));
        assertThrows(IllegalArgumentException.class, () -> new Histogram(1, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new Histogram(Double.NaN));
    }

    @Test
    void observationsFromManyThreadsAtOnceAreAllCounted() throws InterruptedException {
        Histogram histogram = new Histogram(0.001, 0.01, 0.1);
        int threads = 4;
        int each = 50_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException interrupted) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    histogram.observe(i % 2 == 0 ? 0.005 : 0.05);
                }
            });
            thread.start();
            started.add(thread);
        }
        start.countDown();
        for (Thread thread : started) {
            thread.join();
        }
        Histogram.Snapshot snapshot = histogram.snapshot();
        long total = (long) threads * each;
        assertArrayEquals(new long[] {0, total / 2, total, total}, snapshot.cumulativeCounts());
        assertEquals(total / 2 * 0.055, snapshot.sum(), 1e-6);
    }
}
