package io.hermes.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * Medians of the polling-endpoint runs: for every label (an endpoint, {@code LABEL.304} for the same with
 * {@code If-None-Match}) the median over its runs of each figure, checked against issue 7's targets
 * (≥ 5,000 requests/s, p99 ≤ 20 ms), and every 304 variant against its 200 one.
 *
 * <p>Reads {@code LABEL.runN.wrk} (wrk's output) and {@code LABEL.runN.cpu} (lines {@code server_cpu_s X}
 * and {@code wrk_cpu_s Y}, CPU seconds used during that run) from {@code --dir}.
 */
public final class WrkReport {
    private static final Set<String> OPTIONS = Set.of("dir");
    static final double RATE_TARGET = 5000;
    static final double P99_TARGET_MS = 20;

    private WrkReport() {
    }

    /** One run: wrk's figures and the CPU seconds used meanwhile (NaN when not measured). */
    record Run(WrkResult wrk, double serverCpuSeconds, double redisCpuSeconds, double wrkCpuSeconds) {
        double serverMicrosPerRequest() {
            return serverCpuSeconds * 1e6 / wrk.requests();
        }

        double redisMicrosPerRequest() {
            return redisCpuSeconds * 1e6 / wrk.requests();
        }
    }

    public static void main(String[] argv) throws IOException {
        Args args;
        try {
            args = new Args(argv, OPTIONS);
        } catch (IllegalArgumentException badOption) {
            System.err.println("WrkReport: " + badOption.getMessage());
            System.exit(2);
            return;
        }
        Path dir = Path.of(args.text("dir", "."));
        Map<String, List<Run>> runs = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(path -> path.getFileName().toString().endsWith(".wrk")).sorted().toList()) {
                String name = file.getFileName().toString();
                String label = name.substring(0, name.lastIndexOf(".run"));
                Map<String, Double> cpu = readCpu(dir.resolve(name.replaceFirst("\\.wrk$", ".cpu")));
                runs.computeIfAbsent(label, key -> new ArrayList<>()).add(new Run(
                        WrkResult.parse(Files.readString(file, StandardCharsets.UTF_8)),
                        cpu.getOrDefault("server_cpu_s", Double.NaN), cpu.getOrDefault("redis_cpu_s", Double.NaN),
                        cpu.getOrDefault("wrk_cpu_s", Double.NaN)));
            }
        }
        System.out.print(render(runs));
    }

    static String render(Map<String, List<Run>> runs) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-22s %4s %9s %8s %8s %8s %8s %9s %9s %9s %9s %7s %6s  %s%n", "endpoint",
                "runs", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "B/resp", "srv µs/r", "redis µs/r", "wrk µs/r",
                "non2xx", "errs", "target (≥ 5000/s, p99 ≤ 20 ms)"));
        for (Map.Entry<String, List<Run>> entry : runs.entrySet()) {
            List<Run> list = entry.getValue();
            double rate = median(list, run -> run.wrk().requestsPerSecond());
            double p99 = median(list, run -> run.wrk().p99Ms());
            out.append(String.format(Locale.ROOT, "%-22s %4d %9.0f %8.2f %8.2f %8.2f %8.1f %9.0f %9.1f %9.1f %9.1f %7.0f %6.0f"
                    + "  %s%n", entry.getKey(), list.size(), rate, median(list, run -> run.wrk().p50Ms()),
                    median(list, run -> run.wrk().p90Ms()), p99, median(list, run -> run.wrk().latencyMaxMs()),
                    median(list, run -> run.wrk().bytesPerResponse()), median(list, Run::serverMicrosPerRequest),
                    median(list, Run::redisMicrosPerRequest),
                    median(list, run -> run.wrkCpuSeconds() * 1e6 / run.wrk().requests()),
                    median(list, run -> run.wrk().non2xx3xx()), median(list, run -> run.wrk().socketErrors()),
                    verdict(rate, p99)));
        }
        out.append(String.format(Locale.ROOT, "%nrange over runs (min–max): req/s and p99 ms%n"));
        for (Map.Entry<String, List<Run>> entry : runs.entrySet()) {
            List<Run> list = entry.getValue();
            out.append(String.format(Locale.ROOT, "%-22s %s req/s   %s ms%n", entry.getKey(),
                    range(list, run -> run.wrk().requestsPerSecond(), 0), range(list, run -> run.wrk().p99Ms(), 2)));
        }
        out.append(String.format(Locale.ROOT, "%n304 against 200 (medians; ratio = 304 / 200)%n"));
        for (String label : runs.keySet()) {
            if (!label.endsWith(".304") || !runs.containsKey(label.substring(0, label.length() - 4))) {
                continue;
            }
            List<Run> full = runs.get(label.substring(0, label.length() - 4));
            List<Run> notModified = runs.get(label);
            double rate = ratio(notModified, full, run -> run.wrk().requestsPerSecond());
            double p99 = ratio(notModified, full, run -> run.wrk().p99Ms());
            double cpu = ratio(notModified, full, Run::serverMicrosPerRequest);
            double bytes = ratio(notModified, full, run -> run.wrk().bytesPerResponse());
            out.append(String.format(Locale.ROOT, "%-22s req/s ×%.2f, p99 ×%.2f, server CPU per request ×%.2f, bytes per"
                    + " response ×%.3f: %s%n", label, rate, p99, cpu, bytes,
                    rate > 1 && (Double.isNaN(cpu) || cpu < 1) ? "cheaper" : "not cheaper"));
        }
        return out.toString();
    }

    static String verdict(double rate, double p99) {
        boolean fast = rate >= RATE_TARGET;
        boolean quick = p99 <= P99_TARGET_MS;
        if (fast && quick) {
            return "met";
        }
        return String.format(Locale.ROOT, "missed (%s%s%s)", fast ? "" : String.format(Locale.ROOT, "rate ×%.2f", rate / RATE_TARGET),
                !fast && !quick ? ", " : "", quick ? "" : String.format(Locale.ROOT, "p99 ×%.2f", p99 / P99_TARGET_MS));
    }

    static double median(List<Run> runs, ToDoubleFunction<Run> figure) {
        double[] values = runs.stream().mapToDouble(figure).filter(value -> !Double.isNaN(value)).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static double ratio(List<Run> a, List<Run> b, ToDoubleFunction<Run> figure) {
        return median(a, figure) / median(b, figure);
    }

    private static String range(List<Run> runs, ToDoubleFunction<Run> figure, int decimals) {
        double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
        String format = "%." + decimals + "f–%." + decimals + "f";
        return String.format(Locale.ROOT, format, values[0], values[values.length - 1]);
    }

    private static Map<String, Double> readCpu(Path file) throws IOException {
        Map<String, Double> values = new HashMap<>();
        if (!Files.exists(file)) {
            return values;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2) {
                values.put(parts[0], Double.parseDouble(parts[1]));
            }
        }
        return values;
    }
}
