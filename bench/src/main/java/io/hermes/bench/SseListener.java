package io.hermes.bench;

/** What an {@link SseParser} reports, in stream order. */
interface SseListener {
    /** A dispatched event; {@code type} is "message" when the stream named none. */
    void onEvent(String lastEventId, String type, String data);

    default void onComment(String text) {
    }

    default void onRetry(long millis) {
    }
}
