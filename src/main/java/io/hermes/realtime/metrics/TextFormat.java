package io.hermes.realtime.metrics;

/**
 * Writes the Prometheus text exposition format, version 0.0.4: per metric a {@code # HELP} and a
 * {@code # TYPE} line, then one line per sample, {@code name{label="value"} number}. Escaping follows the
 * format: backslash and line feed in help text, and also the double quote in label values.
 */
final class TextFormat {
    /** The media type Prometheus asks for and recognises. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder text = new StringBuilder(8192);

    /** Starts a metric: its help and its type ({@code counter}, {@code gauge}, {@code histogram}). */
    void family(String name, String help, String type) {
        text.append("# HELP ").append(name).append(' ');
        escape(help, false);
        text.append("\n# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** A sample without labels when {@code label} is null. */
    void sample(String name, String label, String labelValue, double value) {
        start(name, label, labelValue);
        text.append(number(value)).append('\n');
    }

    /** A sample with an exact integer value (counters beyond 2^53 stay exact). */
    void sample(String name, String label, String labelValue, long value) {
        start(name, label, labelValue);
        text.append(value).append('\n');
    }

    private void start(String name, String label, String labelValue) {
        text.append(name);
        if (label != null) {
            text.append('{').append(label).append("=\"");
            escape(labelValue, true);
            text.append("\"}");
        }
        text.append(' ');
    }

    /** How the format spells a number: {@code NaN}, {@code +Inf}, {@code -Inf}, integers without a fraction. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    private void escape(String value, boolean quoted) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '"' -> text.append(quoted ? "\\\"" : "\"");
                default -> text.append(c);
            }
        }
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
