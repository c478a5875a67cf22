package io.hermes.realtime.http;

import jakarta.servlet.http.HttpServletRequest;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Validated access to query parameters; a bad value is a 422 that names the parameter. Values are taken
 * exactly as sent: an empty value counts as absent, but nothing is trimmed, so {@code limit=5%00} or
 * {@code period=week%0A} is refused like any other value that is not one the parameter takes.
 */
public final class QueryParams {
    /** Optional minus, one to ten digits: what an int may be written as, without padding or signs of our own. */
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,10}");
    /** The same for a long: one to eighteen digits, so that parsing never overflows. */
    private static final Pattern LONG = Pattern.compile("-?[0-9]{1,18}");

    private QueryParams() {
    }

    /** The value as sent, or {@code null} when the parameter is absent or empty. */
    public static String raw(Function<String, String> parameters, String name) {
        String value = parameters.apply(name);
        return value == null || value.isEmpty() ? null : value;
    }

    public static int integer(HttpServletRequest request, String name, int min, int max, int fallback) {
        return integer(request::getParameter, name, min, max, fallback);
    }

    /** The same, from any lookup of parameters by name (a polled view's parameters). */
    public static int integer(Function<String, String> parameters, String name, int min, int max, int fallback) {
        String raw = raw(parameters, name);
        if (raw == null) {
            return fallback;
        }
        if (INTEGER.matcher(raw).matches()) {
            long value = Long.parseLong(raw);
            if (value >= min && value <= max) {
                return (int) value;
            }
        }
        throw ApiException.invalid("Query parameter '" + name + "' must be an integer from " + min + " to " + max);
    }

    /** A long within bounds (a byte count), {@code fallback} when absent or empty; anything else is a 422. */
    public static long longInteger(HttpServletRequest request, String name, long min, long max, long fallback) {
        String raw = raw(request::getParameter, name);
        if (raw == null) {
            return fallback;
        }
        if (LONG.matcher(raw).matches()) {
            long value = Long.parseLong(raw);
            if (value >= min && value <= max) {
                return value;
            }
        }
        throw ApiException.invalid("Query parameter '" + name + "' must be an integer from " + min + " to " + max);
    }

    /**
     * {@code true} or {@code false} (any case), {@code fallback} when absent or empty. Anything else is a
     * 422: a typo such as {@code delete_file=ture} must not silently mean false.
     */
    public static boolean bool(HttpServletRequest request, String name, boolean fallback) {
        String raw = raw(request::getParameter, name);
        if (raw == null) {
            return fallback;
        }
        if (raw.equalsIgnoreCase("true")) {
            return true;
        }
        if (raw.equalsIgnoreCase("false")) {
            return false;
        }
        throw ApiException.invalid("Query parameter '" + name + "' must be true or false");
    }

    /**
     * The items of a comma-separated value ({@code channels=queue, stats}), without the spaces around
     * them and without empty items. Only spaces are removed: a control character stays, so the item is
     * refused as unknown.
     */
    public static java.util.List<String> items(String listed) {
        java.util.List<String> items = new java.util.ArrayList<>();
        for (String item : listed.split(",", -1)) {
            int start = 0;
            int end = item.length();
            while (start < end && item.charAt(start) == ' ') {
                start++;
            }
            while (end > start && item.charAt(end - 1) == ' ') {
                end--;
            }
            if (end > start) {
                items.add(item.substring(start, end));
            }
        }
        return items;
    }
}
