package io.hermes.realtime.bus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import io.hermes.realtime.json.Timestamps;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Reads and writes the envelope {@code {"type", "data", "timestamp", "id"?, "owner"?}} of contract
 * section 5; {@code id} and {@code owner} are our extensions, which plain-envelope readers ignore.
 *
 * <p>Decoding keeps {@code data} as the exact text the publisher wrote (sliced out of the message, not
 * re-serialised), so clients receive it unchanged and the work is one streaming pass per event.
 */
public final class EnvelopeCodec {
    /** With a buffer pool of its own rather than Jackson's per-thread one, as {@code Json} explains. */
    private final JsonFactory factory = JsonFactory.builder().recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build();

    /**
     * Decodes an envelope received on {@code channel}. {@code replayId}, when not null, is the id of the
     * replay stream entry it came from; otherwise the envelope's own {@code id} field is used, if valid.
     */
    BusEvent decode(Channel channel, String message, EventId replayId) throws MalformedEnvelopeException {
        String type = null;
        String data = null;
        DataFields fields = DataFields.NONE;
        String idField = null;
        String owner = null;
        String timestamp = null;
        try (JsonParser parser = factory.createParser(message)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedEnvelopeException("envelope is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "type" -> type = stringOrSkip(parser, value);
                    case "id" -> idField = stringOrSkip(parser, value);
                    case "owner" -> owner = stringOrSkip(parser, value);
                    case "timestamp" -> timestamp = stringOrSkip(parser, value);
                    case "data" -> {
                        if (value != JsonToken.START_OBJECT) {
                            throw new MalformedEnvelopeException("envelope data is not a JSON object");
                        }
                        int start = (int) parser.currentTokenLocation().getCharOffset();
                        fields = scanData(parser, channel.subjectField());
                        int end = (int) parser.currentLocation().getCharOffset();
                        data = message.substring(start, end);
                    }
                    default -> parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new MalformedEnvelopeException("envelope has trailing content");
            }
        } catch (IOException | RuntimeException malformed) {
            throw new MalformedEnvelopeException("envelope is not valid JSON: " + malformed.getMessage());
        }
        if (data == null) {
            throw new MalformedEnvelopeException("envelope has no data object");
        }
        EventId id = replayId != null ? replayId : EventId.parse(idField).orElse(null);
        return new BusEvent(id, channel, type == null || type.isBlank() ? channel.eventType() : type, data,
                fields.downloadId(), owner, PublishTime.epochMillis(timestamp), fields.status());
    }

    /** The string value at the parser, or {@code null} after skipping any other value. */
    private static String stringOrSkip(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        parser.skipChildren();
        return null;
    }

    /** The top-level fields of {@code data} that streams filter and thin by. */
    private record DataFields(String downloadId, String status) {
        static final DataFields NONE = new DataFields(null, null);
    }

    /**
     * Walks a data object to its end, returning its top-level {@code subjectField} ({@code download_id}, or
     * {@code session_id} on the session channel) and {@code status} if scalars.
     */
    private static DataFields scanData(JsonParser parser, String subjectField) throws IOException {
        String downloadId = null;
        String status = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            boolean scalar = value.isScalarValue() && value != JsonToken.VALUE_NULL;
            if (subjectField.equals(field) && scalar) {
                downloadId = parser.getText();
            } else if ("status".equals(field) && scalar) {
                status = parser.getText();
            } else {
                parser.skipChildren();
            }
        }
        return downloadId == null && status == null ? DataFields.NONE : new DataFields(downloadId, status);
    }

    /**
     * Encodes an envelope without an id; {@code dataJson} must be a JSON object. {@code owner}, when not
     * null, is added as a top-level field so streams can filter by it without reading Redis.
     */
    String encode(String type, String dataJson, Instant timestamp, String owner) {
        StringWriter out = new StringWriter(dataJson.length() + 80);
        try (JsonGenerator generator = factory.createGenerator(out)) {
            generator.writeStartObject();
            generator.writeStringField("type", type);
            generator.writeFieldName("data");
            generator.writeRawValue(dataJson);
            generator.writeStringField("timestamp", Timestamps.format(timestamp));
            if (owner != null) {
                generator.writeStringField("owner", owner);
            }
            generator.writeEndObject();
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return out.toString();
    }
}
