package io.hermes.bench;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures of one wrk 4.x run, read from its text output (with {@code --latency}): requests, duration,
 * bytes read, latency percentiles, and the two error lines wrk prints only when they are non-zero.
 * Latencies are in milliseconds, bytes in bytes (wrk's units are powers of 1024).
 */
record WrkResult(long requests, double seconds, double bytesRead, double requestsPerSecond, double latencyAvgMs,
        double latencyMaxMs, double p50Ms, double p75Ms, double p90Ms, double p99Ms, long non2xx3xx, long socketErrors) {

    private static final Pattern TOTALS = Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m|h), ([\\d.]+)(B|KB|MB|GB|TB) read");
    private static final Pattern LATENCY = Pattern.compile("^\\s*Latency\\s+([\\d.]+)(us|ms|s|m|h)\\s+\\S+\\s+([\\d.]+)(us|ms|s|m|h)",
            Pattern.MULTILINE);
    private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|75|90|99)%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$",
            Pattern.MULTILINE);
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    static WrkResult parse(String output) {
        Matcher totals = find(TOTALS, output, "the 'N requests in T, B read' line");
        Matcher latency = find(LATENCY, output, "the Latency line");
        double[] percentiles = new double[4];
        Matcher percentile = PERCENTILE.matcher(output);
        int found = 0;
        while (percentile.find()) {
            int index = switch (percentile.group(1)) {
                case "50" -> 0;
                case "75" -> 1;
                case "90" -> 2;
                default -> 3;
            };
            percentiles[index] = millis(percentile.group(2), percentile.group(3));
            found++;
        }
        if (found != 4) {
            throw new IllegalArgumentException("wrk output without its latency distribution (run it with --latency)");
        }
        Matcher non2xx = NON_2XX.matcher(output);
        Matcher socket = SOCKET.matcher(output);
        long socketErrors = 0;
        if (socket.find()) {
            for (int group = 1; group <= 4; group++) {
                socketErrors += Long.parseLong(socket.group(group));
            }
        }
        return new WrkResult(Long.parseLong(totals.group(1)), millis(totals.group(2), totals.group(3)) / 1000.0,
                bytes(totals.group(4), totals.group(5)), Double.parseDouble(find(RATE, output, "Requests/sec").group(1)),
                millis(latency.group(1), latency.group(2)), millis(latency.group(3), latency.group(4)), percentiles[0],
                percentiles[1], percentiles[2], percentiles[3], non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0,
                socketErrors);
    }

    /** Bytes read per response, head included: about 500 for a bodiless 304, head + body for a 200. */
    double bytesPerResponse() {
        return requests == 0 ? 0 : bytesRead / requests;
    }

    private static Matcher find(Pattern pattern, String text, String what) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new IllegalArgumentException("wrk output without " + what);
        }
        return matcher;
    }

    static double millis(String value, String unit) {
        double number = Double.parseDouble(value);
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "us" -> number / 1000.0;
            case "ms" -> number;
            case "s" -> number * 1000.0;
            case "m" -> number * 60_000.0;
            case "h" -> number * 3_600_000.0;
            default -> throw new IllegalArgumentException("unknown time unit " + unit);
        };
    }

    static double bytes(String value, String unit) {
        double number = Double.parseDouble(value);
        return switch (unit) {
            case "B" -> number;
            case "KB" -> number * 1024;
            case "MB" -> number * 1024 * 1024;
            case "GB" -> number * 1024 * 1024 * 1024;
            case "TB" -> number * 1024 * 1024 * 1024 * 1024;
            default -> throw new IllegalArgumentException("unknown byte unit " + unit);
        };
    }
}
