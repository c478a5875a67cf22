package io.hermes.realtime.stream;

import java.util.List;
import java.util.function.Supplier;

/**
 * What a stream endpoint decided for one request.
 *
 * @param subscription which events the stream carries
 * @param snapshot     frames sent right after {@code connected} when the client is not resuming (current
 *                     state, recent notifications); read after the stream is registered, so nothing
 *                     published meanwhile is missed
 */
public record StreamPlan(Subscription subscription, Supplier<List<SseFrame>> snapshot) {
    public static StreamPlan of(Subscription subscription) {
        return new StreamPlan(subscription, List::of);
    }
}
