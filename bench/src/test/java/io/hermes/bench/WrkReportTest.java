package io.hermes.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WrkReportTest {
    @Test
    void medianOfAnOddAndAnEvenNumberOfRuns() {
        List<WrkReport.Run> three = List.of(run(5000, 10), run(7000, 12), run(6000, 30));
        assertEquals(6000, WrkReport.median(three, r -> r.wrk().requestsPerSecond()));
        assertEquals(12, WrkReport.median(three, r -> r.wrk().p99Ms()));
        assertEquals(6500, WrkReport.median(List.of(run(6000, 1), run(7000, 1)), r -> r.wrk().requestsPerSecond()));
    }

    @Test
    void theVerdictNamesWhatWasMissedAndByHowMuch() {
        assertEquals("met", WrkReport.verdict(5000, 20));
        assertEquals("missed (rate ×0.80)", WrkReport.verdict(4000, 10));
        assertEquals("missed (p99 ×1.50)", WrkReport.verdict(6000, 30));
        assertEquals("missed (rate ×0.50, p99 ×2.00)", WrkReport.verdict(2500, 40));
    }

    @Test
    void a304VariantIsComparedWithItsEndpoint() {
        java.util.Map<String, List<WrkReport.Run>> runs = new java.util.TreeMap<>();
        runs.put("stats", List.of(run(4000, 10)));
        runs.put("stats.304", List.of(run(6000, 8)));
        String report = WrkReport.render(runs);
        assertTrue(report.contains("stats.304              req/s ×1.50, p99 ×0.80"), report);
        assertTrue(report.contains("cheaper"), report);
    }

    private static WrkReport.Run run(double rate, double p99) {
        WrkResult wrk = new WrkResult((long) (rate * 10), 10, rate * 10 * 600, rate, 2, 50, 1, 2, 5, p99, 0, 0);
        return new WrkReport.Run(wrk, rate * 10 * 100e-6, rate * 10 * 20e-6, rate * 10 * 50e-6);
    }
}
