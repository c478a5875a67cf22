package io.hermes.realtime.http;

import jakarta.servlet.http.HttpServletRequest;

/** Validated access to query parameters; a bad value is a 422 that names the parameter. */
public final class QueryParams {
    private QueryParams() {
    }

    public static int integer(HttpServletRequest request, String name, int min, int max, int fallback) {
        return integer(request::getParameter, name, min, max, fallback);
    }

    /** The same, from any lookup of parameters by name (a polled view's parameters). */
    public static int integer(java.util.function.Function<String, String> parameters, String name, int min, int max,
            int fallback) {
        String raw = parameters.apply(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw ApiException.invalid("Query parameter '" + name + "' must be an integer from " + min + " to " + max);
    }
}
