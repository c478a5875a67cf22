package io.hermes.realtime.stream;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a stream endpoint decided for one request.
 *
 * @param endpoint     which endpoint opened it ({@code stream}, {@code downloads}, {@code queue} …), for
 *                     metrics and logs
 * @param subscription which events the stream carries
 * @param snapshot     frames sent right after {@code connected} when the client is not resuming (current
 *                     state, recent notifications); read after the stream is registered, so nothing
 *                     published meanwhile is missed
 * @param notAfter     when the stream must end because its token expires, or {@code null}
 */
public record StreamPlan(String endpoint, Subscription subscription, Supplier<List<SseFrame>> snapshot,
        Instant notAfter) {
}
