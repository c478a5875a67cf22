package io.hermes.realtime.metrics;

import java.util.Arrays;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Observations counted into fixed buckets, as a Prometheus histogram. Recording is lock-free and
 * allocation-free (one striped counter per bucket), so it may sit on the per-frame path; the
 * cumulative form Prometheus wants is built only when scraped.
 *
 * <p>A snapshot is not atomic: an observation made during a scrape may be in its bucket and not yet in
 * the sum. The count is derived from the buckets, so {@code _count} always equals the {@code +Inf} bucket.
 */
public final class Histogram {
    private final double[] upperBounds;
    /** {@code hits[i]} counts observations in (upperBounds[i-1], upperBounds[i]]; the last slot is +Inf. */
    private final LongAdder[] hits;
    private final DoubleAdder sum = new DoubleAdder();

    /** {@code upperBounds} must be finite and strictly increasing; a {@code +Inf} bucket is always added. */
    public Histogram(double... upperBounds) {
        if (upperBounds.length == 0) {
            throw new IllegalArgumentException("a histogram needs at least one bucket bound");
        }
        for (int i = 0; i < upperBounds.length; i++) {
            if (!Double.isFinite(upperBounds[i]) || (i > 0 && upperBounds[i] <= upperBounds[i - 1])) {
                throw new IllegalArgumentException("bucket bounds must be finite and strictly increasing: "
                        + Arrays.toString(upperBounds));
            }
        }
        this.upperBounds = upperBounds.clone();
        this.hits = new LongAdder[upperBounds.length + 1];
        for (int i = 0; i < hits.length; i++) {
            hits[i] = new LongAdder();
        }
    }

    /** Records one observation; NaN is ignored. A bucket's bound is inclusive, as Prometheus' {@code le}. */
    public void observe(double value) {
        if (Double.isNaN(value)) {
            return;
        }
        int bucket = 0;
        // A linear scan: a dozen predictable comparisons cost less than a binary search's branches.
        while (bucket < upperBounds.length && value > upperBounds[bucket]) {
            bucket++;
        }
        hits[bucket].increment();
        sum.add(value);
    }

    /** The buckets as Prometheus reports them: each count includes every smaller bucket. */
    public Snapshot snapshot() {
        long[] cumulative = new long[hits.length];
        long running = 0;
        for (int i = 0; i < hits.length; i++) {
            running += hits[i].sum();
            cumulative[i] = running;
        }
        return new Snapshot(upperBounds.clone(), cumulative, sum.sum());
    }

    /**
     * One reading of a histogram.
     *
     * @param upperBounds     the finite bounds; the {@code +Inf} bucket is the last element of {@code cumulativeCounts}
     * @param cumulativeCounts observations at or below each bound, then in all
     * @param sum             the sum of every observation
     */
    public record Snapshot(double[] upperBounds, long[] cumulativeCounts, double sum) {
        public long count() {
            return cumulativeCounts[cumulativeCounts.length - 1];
        }
    }
}
