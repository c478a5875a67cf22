package io.hermes.realtime.polling;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A read-only answer of the REST API, built by one piece of code for its polling endpoint and for the
 * opening snapshot of an event stream ({@code ?snapshot=}), so both carry the same body for the same caller.
 * {@link PolledResponses} answers it from the version of its data.
 */
@FunctionalInterface
public interface PolledView {
    /**
     * Validates the view's query parameters, throwing the {@link io.hermes.realtime.http.ApiException} its endpoint answers (422 for
     * a bad value), and returns what the body depends on and how to read it; reading may then call Redis.
     *
     * @param ownerFilter the owner whose downloads alone the caller sees, or {@code null} for an admin
     *                    ({@code Caller.ownerFilter()})
     * @param parameters  the query parameters by name; absent ones map to {@code null}
     */
    Prepared prepare(String ownerFilter, Function<String, String> parameters);

    /**
     * A view's request, validated. {@code identity} lists, in a fixed order, every value the body depends on
     * besides the data it reads from Redis (the owner, the normalised parameters, today's date …): two
     * requests with equal identities read at one version of that data get the same body, which is what
     * {@link ViewKey} needs. {@code body} reads the data and builds the body; it may throw the endpoint's
     * {@code ApiException}.
     */
    record Prepared(List<Object> identity, Supplier<Object> body) {
        /** The body that depends on {@code identity} (values may be {@code null}). */
        public static Prepared of(Supplier<Object> body, Object... identity) {
            return new Prepared(Collections.unmodifiableList(Arrays.asList(identity.clone())), body);
        }
    }
}
