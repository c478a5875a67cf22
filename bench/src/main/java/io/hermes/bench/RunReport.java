package io.hermes.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Turns what the loops and clients recorded into the run's figures: one {@code name value} line per
 * metric for people and grep, and the same map as JSON for scripts.
 */
final class RunReport {
    private final Map<String, Object> figures = new LinkedHashMap<>();

    /**
     * @param expected        events each connected client should have received (seq 0 … expected-1)
     * @param expectedSource  where that number came from: the publisher, or inferred from the highest seq
     */
    RunReport(int requested, List<SseClient> clients, List<LoopMetrics> loops, int expected, String expectedSource,
            double connectSeconds, double measureSeconds) {
        Histogram latency = new Histogram(3);
        Histogram tcpConnect = new Histogram(3);
        Histogram headers = new Histogram(3);
        Histogram connectedEvent = new Histogram(3);
        long bytes = 0;
        long heartbeats = 0;
        long others = 0;
        long foreign = 0;
        for (LoopMetrics loop : loops) {
            latency.add(loop.latencyMicros);
            tcpConnect.add(loop.tcpConnectMicros);
            headers.add(loop.headersMicros);
            connectedEvent.add(loop.connectedMicros);
            bytes += loop.bytesRead;
            heartbeats += loop.heartbeats;
            others += loop.otherEvents;
            foreign += loop.foreignQueueUpdates;
        }

        int connected = 0;
        int endedEarly = 0;
        long distinct = 0;
        long lost = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        int clientsWithLoss = 0;
        Map<String, Integer> failures = new TreeMap<>();
        Map<String, Integer> endings = new TreeMap<>();
        int[] perClient = new int[clients.size()];
        int stalled = 0;
        int cutOff = 0;
        int notConnected = 0;
        for (SseClient client : clients) {
            if (client.failure() != null) {
                failures.merge(client.failure(), 1, Integer::sum);
            }
            if (client.stalls()) {
                // Not a reader: its missing events are the point, so it counts in neither loss nor endings.
                stalled++;
                cutOff += client.cutOff() ? 1 : 0;
                continue;
            }
            if (!client.connected()) {
                notConnected++;
                continue;
            }
            SeqTracker seqs = client.seqs();
            perClient[connected++] = seqs.distinct();
            if (client.endReason() != null) {
                endedEarly++;
                endings.merge(client.endReason(), 1, Integer::sum);
            }
            int missing = seqs.missing(expected);
            lost += missing;
            clientsWithLoss += missing > 0 ? 1 : 0;
            distinct += seqs.distinct();
            duplicates += seqs.duplicates();
            outOfOrder += seqs.outOfOrder();
        }
        int[] received = Arrays.copyOf(perClient, connected);
        Arrays.sort(received);
        long expectedDeliveries = (long) expected * connected;

        put("clients_requested", requested);
        put("clients_connected", connected);
        put("clients_failed", notConnected);
        put("clients_stalled", stalled);
        put("clients_stalled_cut_off", cutOff);
        put("clients_failure_reasons", failures);
        put("clients_ended_early", endedEarly);
        put("clients_end_reasons", endings);
        put("connect_phase_s", round(connectSeconds));
        put("tcp_connect_ms_p50", millis(tcpConnect, 50));
        put("tcp_connect_ms_p99", millis(tcpConnect, 99));
        put("tcp_connect_ms_max", max(tcpConnect));
        put("headers_ms_p50", millis(headers, 50));
        put("headers_ms_p99", millis(headers, 99));
        put("headers_ms_max", max(headers));
        put("headers_by_second", bySecond(loops));
        put("connected_event_ms_p50", millis(connectedEvent, 50));
        put("connected_event_ms_p99", millis(connectedEvent, 99));
        put("events_published", expected);
        put("events_published_source", expectedSource);
        put("deliveries_expected", expectedDeliveries);
        put("deliveries_received", distinct);
        put("deliveries_lost", lost);
        put("loss_ratio", expectedDeliveries == 0 ? 0.0 : (double) lost / expectedDeliveries);
        put("duplicates", duplicates);
        put("out_of_order", outOfOrder);
        put("clients_with_loss", clientsWithLoss);
        put("per_client_received_min", connected == 0 ? 0 : received[0]);
        put("per_client_received_p50", connected == 0 ? 0 : received[connected / 2]);
        put("per_client_received_max", connected == 0 ? 0 : received[connected - 1]);
        put("latency_ms_p50", millis(latency, 50));
        put("latency_ms_p90", millis(latency, 90));
        put("latency_ms_p99", millis(latency, 99));
        put("latency_ms_p999", millis(latency, 99.9));
        put("latency_ms_max", max(latency));
        put("latency_ms_mean", round(latency.getMean() / 1000.0));
        put("measure_phase_s", round(measureSeconds));
        put("deliveries_per_s", measureSeconds <= 0 ? 0 : Math.round(distinct / measureSeconds));
        put("bytes_received_mb", round(bytes / 1e6));
        put("heartbeats", heartbeats);
        put("other_events", others);
        put("foreign_queue_updates", foreign);
        put("generator_cpu_s", round(processCpuSeconds()));
    }

    /**
     * The ramp's shape, one entry per second in which connects started: {@code second:count/p50/p99} (ms), so a
     * tail made by a few slow seconds (a collection, the JIT) shows apart from a steadily slow server.
     */
    private static String bySecond(List<LoopMetrics> loops) {
        StringBuilder out = new StringBuilder();
        for (int second = 0; second < LoopMetrics.RAMP_SECONDS; second++) {
            Histogram merged = new Histogram(3);
            for (LoopMetrics loop : loops) {
                if (loop.headersMicrosBySecond[second] != null) {
                    merged.add(loop.headersMicrosBySecond[second]);
                }
            }
            if (merged.getTotalCount() > 0) {
                out.append(out.isEmpty() ? "" : " ").append(second).append(':').append(merged.getTotalCount())
                        .append('/').append(millis(merged, 50)).append('/').append(millis(merged, 99));
            }
        }
        return out.toString();
    }

    /** This JVM's CPU time: on a shared machine it says how much of the CPU the measuring itself took. */
    private static double processCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return -1;
    }

    /** One line per metric, aligned. */
    String lines() {
        StringBuilder out = new StringBuilder();
        figures.forEach((name, value) -> out.append(String.format("%-26s %s%n", name, value)));
        return out.toString();
    }

    /** One figure by its name, as printed; for tests. */
    Object figure(String name) {
        return figures.get(name);
    }

    void writeJson(Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(file, mapper.writeValueAsString(figures));
    }

    private void put(String name, Object value) {
        figures.put(name, value);
    }

    private static double millis(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0.0 : round(histogram.getValueAtPercentile(percentile) / 1000.0);
    }

    private static double max(Histogram histogram) {
        return histogram.getTotalCount() == 0 ? 0.0 : round(histogram.getMaxValue() / 1000.0);
    }

    private static double round(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }
}
