package io.hermes.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one simulated client sent and received, per kind of request ("queue", "stats", "events/stream" …):
 * requests, answers by status, and bytes each way as counted on the socket. Thread-safe.
 *
 * <p>Everything is also counted a second time, from {@link #steadyFrom} on: the steady state after the
 * page has loaded, without the start-up requests every client makes once. An exchange counts there when
 * it ends after that moment; stream bytes when they arrive after it.
 */
final class TrafficTally {
    /** Counters of one kind of request. */
    static final class Line {
        long requests;
        long ok;
        long notModified;
        long other;
        long requestBytes;
        long responseBytes;

        long totalBytes() {
            return requestBytes + responseBytes;
        }

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("requests", requests);
            map.put("status_2xx", ok);
            map.put("status_304", notModified);
            map.put("status_other", other);
            map.put("request_bytes", requestBytes);
            map.put("response_bytes", responseBytes);
            return map;
        }
    }

    private final Map<String, Line> lines = new TreeMap<>();
    private final Map<String, Line> steadyLines = new TreeMap<>();
    private long steadyFromMicros = Long.MAX_VALUE;

    /** Counts the steady state from {@code atMicros} (epoch µs) on. */
    synchronized void steadyFrom(long atMicros) {
        steadyFromMicros = atMicros;
    }

    /** A finished request/response exchange. */
    synchronized void exchange(String label, int status, long requestBytes, long responseBytes) {
        exchange(lines, label, status, requestBytes, responseBytes);
        if (EpochMicros.now() >= steadyFromMicros) {
            exchange(steadyLines, label, status, requestBytes, responseBytes);
        }
    }

    private static void exchange(Map<String, Line> lines, String label, int status, long requestBytes, long responseBytes) {
        Line line = lines.computeIfAbsent(label, name -> new Line());
        line.requests++;
        if (status == 304) {
            line.notModified++;
        } else if (status / 100 == 2) {
            line.ok++;
        } else {
            line.other++;
        }
        line.requestBytes += requestBytes;
        line.responseBytes += responseBytes;
    }

    /** A stream request was sent; its response bytes arrive later through {@link #streamBytes}. */
    synchronized void streamOpened(String label, long requestBytes) {
        for (Map<String, Line> map : current()) {
            Line line = map.computeIfAbsent(label, name -> new Line());
            line.requests++;
            line.requestBytes += requestBytes;
        }
    }

    /** The stream's response status, once its head arrived. */
    synchronized void streamStatus(String label, int status) {
        for (Map<String, Line> map : current()) {
            Line line = map.computeIfAbsent(label, name -> new Line());
            if (status / 100 == 2) {
                line.ok++;
            } else {
                line.other++;
            }
        }
    }

    synchronized void streamBytes(String label, long responseBytes) {
        for (Map<String, Line> map : current()) {
            map.computeIfAbsent(label, name -> new Line()).responseBytes += responseBytes;
        }
    }

    /** The maps a count made now goes to: always the whole run, and the steady state once it began. */
    private List<Map<String, Line>> current() {
        return EpochMicros.now() >= steadyFromMicros ? List.of(lines, steadyLines) : List.of(lines);
    }

    /** The sum over every label. */
    synchronized Line total() {
        return sum(lines);
    }

    /** The sum over every label, of the steady state only. */
    synchronized Line steadyTotal() {
        return sum(steadyLines);
    }

    private static Line sum(Map<String, Line> lines) {
        Line sum = new Line();
        for (Line line : lines.values()) {
            sum.requests += line.requests;
            sum.ok += line.ok;
            sum.notModified += line.notModified;
            sum.other += line.other;
            sum.requestBytes += line.requestBytes;
            sum.responseBytes += line.responseBytes;
        }
        return sum;
    }

    synchronized Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("total", total().toMap());
        Map<String, Object> byLabel = new LinkedHashMap<>();
        lines.forEach((label, line) -> byLabel.put(label, line.toMap()));
        map.put("by_request", byLabel);
        Map<String, Object> steady = new LinkedHashMap<>();
        steady.put("from_us", steadyFromMicros == Long.MAX_VALUE ? null : steadyFromMicros);
        steady.put("total", sum(steadyLines).toMap());
        Map<String, Object> steadyByLabel = new LinkedHashMap<>();
        steadyLines.forEach((label, line) -> steadyByLabel.put(label, line.toMap()));
        steady.put("by_request", steadyByLabel);
        map.put("steady", steady);
        return map;
    }
}
