package io.hermes.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The two fields the generator needs from a {@code queue_update}'s data: {@code seq} and the publish time.
 * Read with Jackson's streaming parser, stopping as soon as both are found, because the generator parses
 * every delivered event on a CPU it shares with the server.
 *
 * @param seq          the publisher's sequence number, from 0
 * @param sentAtMicros publish time in epoch microseconds
 */
record BenchPayload(int seq, long sentAtMicros) {
    private static final JsonFactory JSON = new JsonFactory();

    /** The payload, or null when {@code data} is not a benchmark event (no seq or no timestamp). */
    static BenchPayload parse(String data) {
        int seq = -1;
        long sentAt = -1;
        try (JsonParser parser = JSON.createParser(data)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME && (seq < 0 || sentAt < 0)) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value != JsonToken.VALUE_NUMBER_INT) {
                    parser.skipChildren();
                    continue;
                }
                switch (name) {
                    case "seq" -> seq = parser.getIntValue();
                    case "sent_at_us" -> sentAt = parser.getLongValue();
                    case "sent_at_nanos" -> sentAt = parser.getLongValue() / 1_000;
                    case "sent_at_ms" -> sentAt = parser.getLongValue() * 1_000;
                    default -> {
                        // other numbers are not ours to read
                    }
                }
            }
        } catch (IOException malformed) {
            return null;
        }
        return seq >= 0 && sentAt >= 0 ? new BenchPayload(seq, sentAt) : null;
    }
}
