package io.hermes.realtime.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code /metrics} answer, parsed the way Prometheus reads the text format, and checked while
 * parsing: every sample belongs to the metric whose {@code # HELP} and {@code # TYPE} came just before it,
 * names and labels are well formed, and every value is a number the format allows.
 */
public final class Scrape {
    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram)");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"\\})? (\\S+)");
    private static final Set<String> HISTOGRAM_SUFFIXES = Set.of("_bucket", "_sum", "_count");

    private final Map<String, Double> samples;
    private final Map<String, String> types;

    private Scrape(Map<String, Double> samples, Map<String, String> types) {
        this.samples = samples;
        this.types = types;
    }

    public static Scrape parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        Map<String, String> types = new HashMap<>();
        String helped = null;
        String family = null;
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            Matcher help = HELP.matcher(line);
            Matcher type = TYPE.matcher(line);
            Matcher sample = SAMPLE.matcher(line);
            if (help.matches()) {
                check(!types.containsKey(help.group(1)), "a second HELP for " + help.group(1));
                helped = help.group(1);
            } else if (type.matches()) {
                check(type.group(1).equals(helped), "TYPE without its HELP just before: " + line);
                family = type.group(1);
                types.put(family, type.group(2));
                helped = null;
            } else if (sample.matches()) {
                String name = sample.group(1);
                check(family != null && belongsTo(name, family, types.get(family)),
                        "sample outside its metric's family: " + line);
                check(!"counter".equals(types.get(family)) || name.endsWith("_total"), "counter not in _total: " + line);
                String series = name + (sample.group(2) == null ? "" : sample.group(2));
                check(samples.put(series, number(sample.group(3), line)) == null, "a series twice: " + series);
            } else {
                throw new AssertionError("not a line of the text format: '" + line + "'");
            }
        }
        check(text.endsWith("\n"), "the text ends with a line feed");
        return new Scrape(samples, types);
    }

    private static boolean belongsTo(String name, String family, String type) {
        if (name.equals(family)) {
            return !"histogram".equals(type);
        }
        return "histogram".equals(type) && name.startsWith(family)
                && HISTOGRAM_SUFFIXES.contains(name.substring(family.length()));
    }

    private static double number(String text, String line) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException notANumber) {
                    throw new AssertionError("not a number: " + line);
                }
            }
        };
    }

    private static void check(boolean condition, String problem) {
        if (!condition) {
            throw new AssertionError(problem);
        }
    }

    /** The value of one series, written as it appears: {@code name} or {@code name{label="value"}}. */
    public double value(String series) {
        Double value = samples.get(series);
        if (value == null) {
            throw new AssertionError("no series " + series + " in the scrape; it has " + samples.keySet());
        }
        return value;
    }

    /** The value of {@code name{label="labelValue"}}. */
    public double value(String name, String label, String labelValue) {
        return value(name + "{" + label + "=\"" + labelValue + "\"}");
    }

    /** {@code counter}, {@code gauge} or {@code histogram}. */
    public String type(String family) {
        return types.get(family);
    }

    /** The {@code le} bounds of a histogram's buckets, in order, and their counts. */
    public Map<String, Double> buckets(String histogram) {
        Map<String, Double> buckets = new LinkedHashMap<>();
        String prefix = histogram + "_bucket{le=\"";
        samples.forEach((series, value) -> {
            if (series.startsWith(prefix)) {
                buckets.put(series.substring(prefix.length(), series.length() - 2), value);
            }
        });
        return buckets;
    }

    /** Every series and its value, for a failure message. */
    @Override
    public String toString() {
        return samples.toString();
    }

    /** Every series whose name starts with {@code prefix}. */
    public List<String> series(String prefix) {
        List<String> found = new ArrayList<>();
        for (String series : samples.keySet()) {
            if (series.startsWith(prefix)) {
                found.add(series);
            }
        }
        return found;
    }
}
