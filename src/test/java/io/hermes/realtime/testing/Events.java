package io.hermes.realtime.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Small readers for event data in assertions. */
public final class Events {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Events() {
    }

    public static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException malformed) {
            throw new UncheckedIOException(malformed);
        }
    }

    /** The {@code seq} field of each event's data. */
    public static List<Integer> sequences(List<SseEvent> events) {
        return events.stream().map(event -> json(event.data()).path("seq").asInt(-1)).toList();
    }

    public static List<Integer> range(int fromInclusive, int toExclusive) {
        return java.util.stream.IntStream.range(fromInclusive, toExclusive).boxed().toList();
    }
}
