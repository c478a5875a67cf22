package io.hermes.realtime.testing;

/**
 * One item read off an event stream: an event (with {@code name}, {@code id}, {@code data}), a
 * {@code retry:} line (name {@code "retry"}), or a comment (name {@code ":"}).
 */
public record SseEvent(String name, String id, String data) {
}
