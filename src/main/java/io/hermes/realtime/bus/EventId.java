package io.hermes.realtime.bus;

import java.util.Optional;

/**
 * The id of an event in the replay stream: its Redis stream entry id ({@code 1700000000000-3}), sent to
 * clients as the SSE {@code id:} and compared to drop what a client already has.
 */
public record EventId(long millis, long sequence) implements Comparable<EventId> {
    /** Before every real id. */
    public static final EventId ZERO = new EventId(0, 0);

    /** Parses {@code MILLIS-SEQ}; anything else (too long, signs, spaces, CR/LF) is empty. */
    public static Optional<EventId> parse(String text) {
        if (text == null || text.length() > 41) {
            return Optional.empty();
        }
        int dash = text.indexOf('-');
        if (dash <= 0 || dash == text.length() - 1) {
            return Optional.empty();
        }
        try {
            long millis = parseDigits(text, 0, dash);
            long sequence = parseDigits(text, dash + 1, text.length());
            return Optional.of(new EventId(millis, sequence));
        } catch (NumberFormatException notAnId) {
            return Optional.empty();
        }
    }

    private static long parseDigits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException(text);
            }
        }
        return Long.parseUnsignedLong(text, from, to, 10);
    }

    public boolean isAfter(EventId other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(EventId other) {
        int byMillis = Long.compareUnsigned(millis, other.millis);
        return byMillis != 0 ? byMillis : Long.compareUnsigned(sequence, other.sequence);
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(millis) + "-" + Long.toUnsignedString(sequence);
    }
}
