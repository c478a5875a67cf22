package io.hermes.bench;

import java.util.Locale;

/**
 * What a server under test sends, as far as the generator cares: the SSE event name that carries the
 * benchmark's payload, and whether a stream counts as connected at its response head (a server that sends
 * no opening event) or at its {@code connected} event.
 */
record StreamDialect(String eventName, boolean connectedOnHead) {
    /** Hermes Realtime: payloads in {@code queue_update} events; streams open with a {@code connected} event. */
    static final StreamDialect HERMES = new StreamDialect("queue_update", false);
    /** Nchan's EventSource subscriber: messages without an event name (so "message"), no opening event. */
    static final StreamDialect NCHAN = new StreamDialect("message", true);

    static StreamDialect named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "hermes" -> HERMES;
            case "nchan" -> NCHAN;
            default -> throw new IllegalArgumentException("--dialect must be hermes or nchan, not " + name);
        };
    }
}
