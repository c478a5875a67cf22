package io.hermes.realtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private final Metrics metrics = new Metrics();

    @Test
    void familiesAreWrittenInRegistrationOrderWithTheirLabelledSamplesTogether() {
        Counter queue = metrics.counter("hermes_events_total", "Events", "channel", "queue:updates");
        metrics.gauge("hermes_open", "Open", () -> 2);
        Counter system = metrics.counter("hermes_events_total", "Events", "channel", "system:notifications");
        queue.add(3);
        system.increment();
        assertEquals("""
                # HELP hermes_events_total Events
                # TYPE hermes_events_total counter
                hermes_events_total{channel="queue:updates"} 3
                hermes_events_total{channel="system:notifications"} 1
                # HELP hermes_open Open
                # TYPE hermes_open gauge
                hermes_open 2
                """, metrics.scrape());
    }

    @Test
    void histogramIsWrittenAsCumulativeBucketsThenSumAndCount() {
        Histogram histogram = metrics.histogram("hermes_latency_seconds", "Latency", 0.001, 0.01);
        histogram.observe(0.0005);
        histogram.observe(0.005);
        histogram.observe(0.5);
        assertEquals("""
                # HELP hermes_latency_seconds Latency
                # TYPE hermes_latency_seconds histogram
                hermes_latency_seconds_bucket{le="0.001"} 1
                hermes_latency_seconds_bucket{le="0.01"} 2
                hermes_latency_seconds_bucket{le="+Inf"} 3
                hermes_latency_seconds_sum 0.5055
                hermes_latency_seconds_count 3
                """, metrics.scrape());
    }

    @Test
    void functionsAreReadAtEachScrape() {
        AtomicLong reconnects = new AtomicLong();
        metrics.counter("hermes_reconnects_total", "Reconnects", reconnects::get);
        reconnects.set(4);
        assertEquals(true, metrics.scrape().endsWith("hermes_reconnects_total 4\n"));
        reconnects.set(5);
        assertEquals(true, metrics.scrape().endsWith("hermes_reconnects_total 5\n"));
    }

    @Test
    void aGaugeWhoseSourceFailsReadsNaNAndTheScrapeGoesOn() {
        metrics.gauge("hermes_broken", "Broken", () -> {
            throw new IllegalStateException("closed");
        });
        metrics.gauge("hermes_fine", "Fine", () -> 1);
        String text = metrics.scrape();
        assertEquals(true, text.contains("hermes_broken NaN\n"), text);
        assertEquals(true, text.endsWith("hermes_fine 1\n"), text);
    }

    @Test
    void registrationMistakesAreRefusedAtStartUp() {
        metrics.counter("hermes_a_total", "A", "channel", "x");
        assertThrows(IllegalArgumentException.class, () -> metrics.counter("hermes_a", "A"), "counter without _total");
        assertThrows(IllegalArgumentException.class, () -> metrics.counter("hermes_a_total", "A", "channel", "x"),
                "the same label value twice");
        assertThrows(IllegalArgumentException.class, () -> metrics.counter("hermes_a_total", "Other", "channel", "y"),
                "another help text");
        assertThrows(IllegalArgumentException.class, () -> metrics.counter("hermes_a_total", "A", "endpoint", "y"),
                "another label name");
        assertThrows(IllegalArgumentException.class, () -> metrics.gauge("hermes_a_total", "A", "channel", "y", () -> 0),
                "another type");
        assertThrows(IllegalArgumentException.class, () -> metrics.gauge("hermes-bad", "Bad", () -> 1), "bad name");
        assertThrows(IllegalArgumentException.class, () -> metrics.gauge("hermes_b", "B", "bad-label", "v", () -> 1),
                "bad label name");
        metrics.gauge("hermes_c", "C", () -> 1);
        assertThrows(IllegalArgumentException.class, () -> metrics.gauge("hermes_c", "C", () -> 2), "twice");
    }

    @Test
    void measurementsRunOnceAtTheStartOfEachScrapeBeforeAnyValueIsRead() {
        AtomicLong measured = new AtomicLong();
        metrics.gauge("hermes_up", "Up", () -> measured.get());
        metrics.gauge("hermes_latency_seconds", "Latency", () -> measured.get() / 10.0);
        metrics.beforeEachScrape(measured::incrementAndGet);
        assertEquals(true, metrics.scrape().contains("hermes_up 1\n# HELP hermes_latency_seconds Latency\n"
                + "# TYPE hermes_latency_seconds gauge\nhermes_latency_seconds 0.1\n"));
        assertEquals(true, metrics.scrape().contains("hermes_up 2\n"));
    }
}
