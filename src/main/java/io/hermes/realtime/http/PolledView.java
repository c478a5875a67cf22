package io.hermes.realtime.http;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A read-only answer of the REST API, built by one piece of code for its polling endpoint and for the
 * opening snapshot of an event stream ({@code ?snapshot=}), so both carry the same body for the same caller.
 */
@FunctionalInterface
public interface PolledView {
    /**
     * Validates the view's query parameters, throwing the {@link ApiException} its endpoint answers (422 for
     * a bad value), and returns how to read the body, which may then call Redis or the disk.
     *
     * @param ownerFilter the owner whose downloads alone the caller sees, or {@code null} for an admin
     *                    ({@code Caller.ownerFilter()})
     * @param parameters  the query parameters by name; absent ones map to {@code null}
     */
    Supplier<Object> prepare(String ownerFilter, Function<String, String> parameters);
}
