package io.hermes.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} command-line options; an unknown or malformed option stops the program with a message. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(String[] argv, Set<String> known) {
        for (int i = 0; i < argv.length; i++) {
            String name = argv[i];
            if (!name.startsWith("--") || !known.contains(name.substring(2))) {
                throw new IllegalArgumentException("Unknown option " + name + "; known: --" + String.join(", --", known));
            }
            if (i + 1 >= argv.length) {
                throw new IllegalArgumentException("Option " + name + " needs a value");
            }
            values.put(name.substring(2), argv[++i]);
        }
    }

    String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback, int min, int max) {
        long value = longValue(name, fallback);
        if (value < min || value > max) {
            throw new IllegalArgumentException("--" + name + " must be from " + min + " to " + max);
        }
        return (int) value;
    }

    double decimal(String name, double fallback, double min) {
        String raw = values.get(name);
        double value;
        try {
            value = raw == null ? fallback : Double.parseDouble(raw);
        } catch (NumberFormatException malformed) {
            throw new IllegalArgumentException("--" + name + " must be a number, not '" + raw + "'");
        }
        if (!(value >= min) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("--" + name + " must be at least " + min);
        }
        return value;
    }

    /** A comma-separated list; empty when absent. */
    List<String> list(String name) {
        List<String> items = new ArrayList<>();
        String raw = values.get(name);
        if (raw != null) {
            for (String item : raw.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
        }
        return items;
    }

    private long longValue(String name, long fallback) {
        String raw = values.get(name);
        try {
            return raw == null ? fallback : Long.parseLong(raw.trim());
        } catch (NumberFormatException malformed) {
            throw new IllegalArgumentException("--" + name + " must be an integer, not '" + raw + "'");
        }
    }
}
