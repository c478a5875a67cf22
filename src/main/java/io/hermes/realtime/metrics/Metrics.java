package io.hermes.realtime.metrics;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Every metric of one application instance, written at each scrape in the order it was registered. The
 * composition root creates one; each feature registers its own metrics and keeps the {@link Counter}s and
 * {@link Histogram}s it records into. Values kept elsewhere (open streams, subscriber state) are registered
 * as functions and read only when scraped, so they cost nothing in between.
 *
 * <p>A sample carries at most one label: all this application needs, and it keeps the writer small. A
 * labelled metric is built by registering it once per label value, with the same help text.
 */
public final class Metrics {
    private static final System.Logger LOG = System.getLogger(Metrics.class.getName());
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private enum Type { COUNTER, GAUGE, HISTOGRAM }

    /** One metric name: its help, type and label name, and a writer per label value. */
    private record Family(String help, Type type, String label, List<Consumer<TextFormat>> series,
            Set<String> labelValues) {
    }

    // Guarded by this; written at start-up, read at every scrape.
    private final Map<String, Family> families = new LinkedHashMap<>();
    private final List<Runnable> beforeScrape = new ArrayList<>();

    /** A counter of our own; its name must end in {@code _total}. */
    public Counter counter(String name, String help) {
        return counter(name, help, null, null);
    }

    /** The counter for one value of {@code label}. */
    public Counter counter(String name, String help, String label, String labelValue) {
        Counter counter = new Counter();
        register(name, help, Type.COUNTER, label, labelValue,
                out -> out.sample(name, label, labelValue, counter.value()));
        return counter;
    }

    /** A count kept by someone else, read at each scrape; it must never decrease. */
    public void counter(String name, String help, LongSupplier source) {
        register(name, help, Type.COUNTER, null, null, out -> out.sample(name, null, null, source.getAsLong()));
    }

    /** A value read at each scrape; a source that fails is reported as {@code NaN}. */
    public void gauge(String name, String help, DoubleSupplier source) {
        gauge(name, help, null, null, source);
    }

    /** The gauge for one value of {@code label}. */
    public void gauge(String name, String help, String label, String labelValue, DoubleSupplier source) {
        register(name, help, Type.GAUGE, label, labelValue,
                out -> out.sample(name, label, labelValue, read(name, source)));
    }

    /** A histogram with the given finite, increasing bucket bounds (a {@code +Inf} bucket is added). */
    public Histogram histogram(String name, String help, double... upperBounds) {
        Histogram histogram = new Histogram(upperBounds);
        register(name, help, Type.HISTOGRAM, null, null, out -> write(out, name, histogram.snapshot()));
        return histogram;
    }

    /**
     * Runs {@code measurement} at the start of every scrape, before any value is read: for gauges that
     * share one costly reading (one Redis PING gives both {@code up} and its latency).
     */
    public synchronized void beforeEachScrape(Runnable measurement) {
        beforeScrape.add(measurement);
    }

    /**
     * Every metric in the Prometheus text format ({@link TextFormat#CONTENT_TYPE}). Scrapes take turns:
     * registration only happens at start-up, and a gauge may take a moment (the Redis round trip).
     */
    public synchronized String scrape() {
        for (Runnable measurement : beforeScrape) {
            try {
                measurement.run();
            } catch (RuntimeException failed) {
                LOG.log(Level.WARNING, "A measurement before the scrape failed: {0}", failed.toString());
            }
        }
        TextFormat out = new TextFormat();
        families.forEach((name, family) -> {
            out.family(name, family.help(), family.type().name().toLowerCase(Locale.ROOT));
            family.series().forEach(series -> series.accept(out));
        });
        return out.toString();
    }

    private synchronized void register(String name, String help, Type type, String label, String labelValue,
            Consumer<TextFormat> series) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a metric name: " + name);
        }
        if (type == Type.COUNTER && !name.endsWith("_total")) {
            throw new IllegalArgumentException("a counter's name ends in _total: " + name);
        }
        if (label != null && (!LABEL.matcher(label).matches() || label.startsWith("__") || labelValue == null)) {
            throw new IllegalArgumentException("not a label name, or no value: " + label);
        }
        Family family = families.computeIfAbsent(name,
                absent -> new Family(help, type, label, new ArrayList<>(), new HashSet<>()));
        if (family.type() != type || !family.help().equals(help) || !Objects.equals(family.label(), label)) {
            throw new IllegalArgumentException(name + " is already registered with another type, help or label");
        }
        if (!family.labelValues().add(String.valueOf(labelValue))) {
            throw new IllegalArgumentException(name + (label == null ? "" : "{" + label + "=\"" + labelValue + "\"}")
                    + " is already registered");
        }
        family.series().add(series);
    }

    private static double read(String name, DoubleSupplier source) {
        try {
            return source.getAsDouble();
        } catch (RuntimeException failed) {
            LOG.log(Level.WARNING, "Could not read gauge {0}: {1}", name, failed.toString());
            return Double.NaN;
        }
    }

    private static void write(TextFormat out, String name, Histogram.Snapshot snapshot) {
        double[] bounds = snapshot.upperBounds();
        long[] counts = snapshot.cumulativeCounts();
        for (int i = 0; i < bounds.length; i++) {
            out.sample(name + "_bucket", "le", TextFormat.number(bounds[i]), counts[i]);
        }
        out.sample(name + "_bucket", "le", "+Inf", snapshot.count());
        out.sample(name + "_sum", null, null, snapshot.sum());
        out.sample(name + "_count", null, null, snapshot.count());
    }
}
